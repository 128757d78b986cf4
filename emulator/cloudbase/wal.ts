// The CloudBase database's durable log: the shared log (emulator/shared/wal.ts) reporting in TCB codes.
import { DurableLog as SharedLog, describeRepair as describe, type LogErrors, type OpenedLog } from '../shared/wal';
import { TCB_CODES, TcbError } from './errors';

export type { OpenedLog } from '../shared/wal';

const ERRORS: LogErrors = {
  corrupt: (message) => new TcbError(TCB_CODES.STORE_CORRUPT, message),
  writeFailed: (message) => new TcbError(TCB_CODES.DATABASE_REQUEST_FAILED, message),
};

export type DurableLog = SharedLog;
export const DurableLog = { open: (file: string): OpenedLog => SharedLog.open(file, ERRORS) };

export const describeRepair = (file: string, opened: OpenedLog): string | undefined => describe('CloudBase emulator', file, opened);
