// runReportHtml on hand-made runs: a label with no known positive among the test rows, runs
// without validation, several seeds of one strategy.
import { expect } from 'chai';
import { tensor } from '../src';
import { runReportHtml, type RunReportInput } from '../src/app/report/run-report';
import { simplified, ticks } from '../src/app/report/svg-chart';

function input(): RunReportInput {
  const epochs = (losses: number[]) =>
    losses.map((loss, i) => ({ epoch: i + 1, loss, valMetric: NaN }));
  return {
    title: 'a & b',
    labelNames: ['seen', 'never'],
    settings: [['lr', '0.001']],
    runs: [
      { strategy: 'Masked', seed: 1, epochs: epochs([0.7, 0.5, 0.4]), bestEpoch: 3, refit: [] },
      { strategy: 'Masked', seed: 2, epochs: epochs([0.8, 0.6, 0.3]), bestEpoch: 3, refit: [] },
    ],
    evaluations: [
      {
        strategy: 'Masked',
        seed: 1,
        // Label "seen": scores 0.9 (positive), 0.6 (negative), 0.3 (positive), one unknown.
        // Label "never": two known negatives, two unknown.
        probs: tensor([
          [0.9, 0.2],
          [0.6, 0.7],
          [0.3, 0.1],
          [0.5, 0.5],
        ]),
        y: tensor([
          [1, 0],
          [0, 0],
          [1, 0],
          [0, 0],
        ]),
        mask: tensor([
          [1, 1],
          [1, 1],
          [1, 0],
          [0, 0],
        ]),
        thresholds: [0.5, 0.5],
      },
    ],
    testRowsNote: 'Four rows.',
  };
}

describe('runReportHtml', () => {
  const html = runReportHtml(input());

  it('shows the AP and counts of a label, and says a label with no known positive has none', () => {
    // "seen": AP = (1/2)(1/1) + (1/2)(2/3); at 0.5: TP 1 (0.9), FP 1 (0.6), FN 1 (0.3), TN 0.
    expect(html).to.include(
      `<tr><td>seen</td><td>0.500</td><td>2</td><td>1</td><td>1</td><td><span data-ap="${0.5 * 1 + 0.5 * (2 / 3)}">0.833</span></td><td>1</td><td>1</td><td>1</td><td>0</td></tr>`,
    );
    // "never": no known positive: AP undefined, and no FP at 0.5 (0.2 and 0.7 are negatives: FP 1, TN 1).
    expect(html).to.include(
      '<tr><td>never</td><td>0.500</td><td>0</td><td>2</td><td>2</td><td><span data-ap="NaN">–</span></td><td>0</td><td>1</td><td>0</td><td>1</td></tr>',
    );
    expect(html).to.include(`data-map="${0.5 * 1 + 0.5 * (2 / 3)}"`);
    expect(html).to.include('>no known positive</text>');
    expect(html).to.include(
      '<figure class="pr"><figcaption title="never">never</figcaption><p class="note">No known positive among the test rows.</p></figure>',
    );
  });

  it('draws no validation chart without validation, and tells the seeds of one strategy apart', () => {
    expect(html).not.to.include('validation-chart');
    expect(html).to.include('Masked, seed 1');
    expect(html).to.include('Masked, seed 2');
    const loss = html.slice(html.indexOf('<figure id="loss-chart">'));
    expect(loss.slice(0, loss.indexOf('</figure>')).match(/<polyline /g)).to.have.length(2);
    expect(html).to.include('<title>a &amp; b</title>');
  });

  it('ticks: round steps covering the range; whole numbers for epochs', () => {
    expect(ticks(0, 1, 5).map((t) => t.toFixed(12))).to.deep.equal(
      ['0', '0.2', '0.4', '0.6', '0.8', '1'].map((t) => Number(t).toFixed(12)),
    );
    expect(ticks(1, 27, 6, true)).to.deep.equal([5, 10, 15, 20, 25]);
    expect(ticks(1, 3, 6, true)).to.deep.equal([1, 2, 3]);
  });

  it('simplified: leaves out repeated points and the middle of straight horizontal or vertical runs', () => {
    expect(
      simplified([
        [0, 0],
        [0, 0],
        [1, 0],
        [2, 0],
        [2, 1],
        [2, 3],
        [3, 4],
      ]),
    ).to.deep.equal([
      [0, 0],
      [2, 0],
      [2, 3],
      [3, 4],
    ]);
    // A turn back is kept: the middle point is not between its neighbours.
    expect(
      simplified([
        [0, 0],
        [2, 0],
        [1, 0],
      ]),
    ).to.deep.equal([
      [0, 0],
      [2, 0],
      [1, 0],
    ]);
  });
});
