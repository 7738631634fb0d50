import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MaskgradError, isMaskgradError, withContext } from '../src/core/errors';
import { matmul, tensor, zeros } from '../src';
import { readCsv } from '../src/node';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('MaskgradError: callers decide by code, never by message text', () => {
  it('a bad argument is a MaskgradError with code ERR_ARGUMENT', () => {
    const e = thrown(() => zeros([2], { bogus: 1 } as never));
    expect(e).to.be.instanceOf(MaskgradError);
    expect((e as MaskgradError).code).to.equal('ERR_ARGUMENT');
  });

  it('shapes that do not fit carry ERR_SHAPE', () => {
    const e = thrown(() => matmul(zeros([2, 3]), zeros([4, 5])));
    expect(isMaskgradError(e, 'ERR_SHAPE')).to.equal(true);
    expect(isMaskgradError(e, 'ERR_ARGUMENT')).to.equal(false);
    const b = thrown(() => tensor([1, 2]).add(tensor([1, 2, 3])));
    expect(isMaskgradError(b, 'ERR_SHAPE')).to.equal(true);
  });

  it('a reader error names the file in a new error that keeps the code and the cause', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maskgrad-errors-'));
    const file = path.join(dir, 'bad.csv');
    fs.writeFileSync(file, 'a,b\n1,0\n3\n');
    try {
      const e = thrown(() => readCsv(file, { labels: 1 })) as MaskgradError;
      expect(e.code).to.equal('ERR_PARSE');
      expect(e.message).to.match(/^parseCsv: line 3: .*\(in .*bad\.csv\)$/);
      expect(e.cause).to.be.instanceOf(MaskgradError);
      expect((e.cause as Error).message).to.not.include('(in ');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a missing file is ERR_IO with the system error as its cause', () => {
    const e = thrown(() => readCsv('/nonexistent/file.csv', { labels: 1 })) as MaskgradError;
    expect(e.code).to.equal('ERR_IO');
    expect((e.cause as NodeJS.ErrnoException).code).to.equal('ENOENT');
  });

  it('withContext leaves the original error as it was', () => {
    const original = new MaskgradError('f: bad', { code: 'ERR_PARSE' });
    const wrapped = withContext(original, '(in x)') as MaskgradError;
    expect(original.message).to.equal('f: bad');
    expect(wrapped.message).to.equal('f: bad (in x)');
    expect(wrapped.code).to.equal('ERR_PARSE');
    expect(wrapped.cause).to.equal(original);
  });
});
