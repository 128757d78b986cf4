/** `npm run receipt -- …`: an alias of `npm run local -- receipt …` (scripts/local/receipt-command.ts). */
import { cliArgs } from './i18n';
import { localCloudbaseUrl } from './local/cli';
import { receiptCommand } from './local/receipt-command';

receiptCommand(cliArgs(), { base: localCloudbaseUrl(), cmd: 'npm run receipt --', out: (l) => console.log(l), err: (l) => console.error(l) }).then((code) => process.exit(code), (err) => {
  console.error((err as Error).message);
  process.exit(2);
});
