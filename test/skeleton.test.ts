import { readFileSync } from 'fs';
import { join } from 'path';

// Guards the CI contract: .ci/run must run exactly the README's test command.
describe('project skeleton', () => {
  it('.ci/run runs npm ci then npm test', () => {
    const run = readFileSync(join(__dirname, '..', '.ci', 'run'), 'utf8');
    expect(run.indexOf('npm ci')).toBeGreaterThan(-1);
    expect(run.indexOf('npm test')).toBeGreaterThan(run.indexOf('npm ci'));
  });
});
