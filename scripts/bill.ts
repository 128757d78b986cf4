/** `npm run bill -- …`: an alias of `npm run local -- bill …` (scripts/local/bill-command.ts). */
import { cliArgs } from './i18n';
import { billCommand } from './local/bill-command';
import { localCloudbaseUrl } from './local/cli';

billCommand(cliArgs(), { base: localCloudbaseUrl(), cmd: 'npm run bill --', out: (l) => console.log(l), err: (l) => console.error(l) }).then((code) => process.exit(code), (err) => {
  console.error((err as Error).message);
  process.exit(2);
});
