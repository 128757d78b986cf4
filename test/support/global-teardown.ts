/** jest globalTeardown: removes this run's dev merchant file (run-credentials.ts). */
import { removeRunCredentials } from './run-credentials';

export default function globalTeardown(): void {
  removeRunCredentials();
}
