import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { crc32, createZip } from '../../scripts/deploy/zip';
import { readZip } from './zipReader';

function which(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('zip writer', () => {
  const entries = [
    { name: 'index.js', data: Buffer.from('exports.main = async () => 1;\n'.repeat(200)) },
    { name: 'package.json', data: Buffer.from('{"name":"x"}') },
    { name: 'config.json', data: randomBytes(5000) },
  ];

  test('crc32 matches the standard check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });

  test('round-trips through an independent reader with contents, CRCs and a 0644 mode', () => {
    const read = readZip(createZip(entries));
    expect(read.map((e) => e.name)).toEqual(['index.js', 'package.json', 'config.json']);
    read.forEach((e, i) => expect(e.data.equals(entries[i].data)).toBe(true));
    read.forEach((e) => expect(e.mode).toBe(0o100644));
  });

  test('is accepted by unzip (or python zipfile) as a valid archive', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'zip-')), 'f.zip');
    writeFileSync(file, createZip(entries));
    if (which('unzip')) {
      const test = execFileSync('unzip', ['-t', file]).toString();
      expect(test).toMatch(/No errors detected/);
      const list = execFileSync('unzip', ['-Z1', file]).toString().trim().split('\n');
      expect(list).toEqual(['index.js', 'package.json', 'config.json']);
      expect(execFileSync('unzip', ['-p', file, 'package.json']).toString()).toBe('{"name":"x"}');
    } else {
      const out = execFileSync('python3', ['-c', 'import sys,zipfile;z=zipfile.ZipFile(sys.argv[1]);assert z.testzip() is None;print(",".join(z.namelist()))', file]);
      expect(out.toString().trim()).toBe('index.js,package.json,config.json');
    }
  });

  test('is deterministic: same inputs, same bytes', () => {
    expect(createZip(entries).equals(createZip(entries))).toBe(true);
  });

  test('rejects unsafe or duplicate names', () => {
    expect(() => createZip([{ name: '../evil.js', data: Buffer.from('') }])).toThrow(/invalid entry name/);
    expect(() => createZip([{ name: '/abs.js', data: Buffer.from('') }])).toThrow(/invalid entry name/);
    expect(() => createZip([{ name: 'a', data: Buffer.from('') }, { name: 'a', data: Buffer.from('') }])).toThrow(/duplicate/);
  });
});
