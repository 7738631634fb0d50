import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gradcheck } from '../src/core/gradcheck';
import { activationByName, Linear, MLP, MLPOptions, Module, StateDict } from '../src/core/nn';
import { relu, sigmoid, tanh } from '../src/core/ops';
import { SGD } from '../src/core/optim';
import { Random } from '../src/core/random';
import { randn, tensor, Tensor } from '../src/core/tensor';
import { loadModule, saveModule } from '../src/node';

/** Every parameter's values, by name, as plain arrays. */
function snapshot(model: Module): Record<string, number[]> {
  return Object.fromEntries(model.namedParameters().map(([n, p]) => [n, Array.from(p.data)]));
}

/** True when two models' parameters are identical bit for bit (Object.is per element). */
function bitIdentical(a: Module, b: Module): boolean {
  const pa = a.parameters();
  const pb = b.parameters();
  return (
    pa.length === pb.length &&
    pa.every((p, i) => p.size === pb[i].size && p.data.every((v, k) => Object.is(v, pb[i].data[k])))
  );
}

describe('nn', () => {
  describe('Linear', () => {
    it('has weight [out, in] and bias [out], both requiring gradients', () => {
      const layer = new Linear(3, 4, { seed: 1 });
      expect(layer.weight.shape).to.deep.equal([4, 3]);
      expect(layer.bias.shape).to.deep.equal([4]);
      expect(layer.weight.requiresGrad && layer.bias.requiresGrad).to.equal(true);
      expect(layer.namedParameters().map(([n]) => n)).to.deep.equal(['weight', 'bias']);
      expect(layer.parameters()).to.deep.equal([layer.weight, layer.bias]);
    });

    it('initialises weight and bias uniformly within +-1/sqrt(in), like PyTorch', () => {
      const layer = new Linear(10, 200, { seed: 7 });
      const bound = 1 / Math.sqrt(10);
      for (const p of layer.parameters()) {
        const values = Array.from(p.data);
        expect(values.every((v) => v >= -bound && v < bound)).to.equal(true);
        // The whole range is used: close to both ends, with a mean near 0.
        expect(Math.min(...values)).to.be.below(-0.8 * bound);
        expect(Math.max(...values)).to.be.above(0.8 * bound);
      }
      const w = Array.from(layer.weight.data);
      expect(Math.abs(w.reduce((s, v) => s + v, 0) / w.length)).to.be.below(0.05 * bound);
    });

    it('forward is x W^T + b, exact for small integers', () => {
      const layer = new Linear(3, 2, { seed: 0 });
      layer.weight.data.set([1, 2, 3, 4, 5, 6]); // W = [[1,2,3],[4,5,6]]
      layer.bias.data.set([10, -20]);
      const x = tensor([
        [1, 0, -1],
        [2, 1, 0],
      ]);
      // Row 1: [1 - 3, 4 - 6] + b = [8, -22]; row 2: [2 + 2, 8 + 5] + b = [14, -7].
      const y = layer.forward(x);
      expect(y.shape).to.deep.equal([2, 2]);
      expect(y.toArray()).to.deep.equal([
        [8, -22],
        [14, -7],
      ]);
    });

    it('gives the weight and bias their gradients: dW = G^T x, db = column sums of G', () => {
      const layer = new Linear(2, 2, { seed: 0 });
      const x = tensor([
        [1, 2],
        [3, 4],
      ]);
      // G = ones([2,2]): dW[i][j] = sum over rows of x[:, j] = [4, 6] for every i; db = [2, 2].
      layer.forward(x).backward(
        tensor([
          [1, 1],
          [1, 1],
        ]),
      );
      expect(layer.weight.grad!.toArray()).to.deep.equal([
        [4, 6],
        [4, 6],
      ]);
      expect(layer.bias.grad!.toArray()).to.deep.equal([2, 2]);
    });

    it('rejects an input that is not [N, in], naming Linear and both shapes', () => {
      const layer = new Linear(3, 4, { seed: 1 });
      expect(() => layer.forward(tensor([[1, 2, 3, 4, 5]]))).to.throw(
        'Linear: expected an input of shape [N,3] for a weight of shape [4,3], got [1,5]',
      );
      expect(() => layer.forward(tensor([1, 2, 3]))).to.throw(
        'Linear: expected an input of shape [N,3] for a weight of shape [4,3], got [3]',
      );
    });

    it('the same seed gives bit-identical weights; another seed different ones', () => {
      expect(bitIdentical(new Linear(5, 3, { seed: 42 }), new Linear(5, 3, { seed: 42 }))).to.equal(
        true,
      );
      expect(bitIdentical(new Linear(5, 3, { seed: 42 }), new Linear(5, 3, { seed: 43 }))).to.equal(
        false,
      );
      // A generator moves on: two layers drawn from one generator differ.
      const rng = new Random('shared');
      expect(bitIdentical(new Linear(5, 3, { rng }), new Linear(5, 3, { rng }))).to.equal(false);
    });

    it('needs a seed or a generator, and positive integer sizes', () => {
      expect(() => new Linear(3, 4, {} as { seed: number })).to.throw(
        'Linear: pass { seed } or { rng }: maskgrad never draws random numbers without a seed',
      );
      expect(() => new Linear(0, 4, { seed: 1 })).to.throw(
        'Linear: inFeatures must be a positive integer, got 0',
      );
      expect(() => new Linear(3, 2.5, { seed: 1 })).to.throw(
        'Linear: outFeatures must be a positive integer, got 2.5',
      );
    });

    it('rejects a misspelt option, listing the allowed ones', () => {
      expect(() => new Linear(3, 4, { sed: 1 } as never)).to.throw(
        "Linear: unknown option 'sed' (allowed: seed, rng)",
      );
    });
  });

  describe('MLP', () => {
    it('has Linear layers of the given sizes, named layers.i.weight / layers.i.bias', () => {
      const mlp = new MLP([3, 5, 4, 2], { activation: 'tanh', seed: 1 });
      expect(mlp.layers.map((l) => l.weight.shape)).to.deep.equal([
        [5, 3],
        [4, 5],
        [2, 4],
      ]);
      expect(mlp.outputLayer).to.equal(mlp.layers[2]);
      expect(mlp.namedParameters().map(([n]) => n)).to.deep.equal([
        'layers.0.weight',
        'layers.0.bias',
        'layers.1.weight',
        'layers.1.bias',
        'layers.2.weight',
        'layers.2.bias',
      ]);
      expect(mlp.parameters()[4]).to.equal(mlp.outputLayer.weight);
      expect(String(mlp)).to.equal('MLP([3, 5, 4, 2], tanh)');
    });

    it('draws every layer, in order, from one generator made from the seed', () => {
      const mlp = new MLP([3, 4, 2], { activation: 'relu', seed: 'abc' });
      const rng = new Random('abc');
      const first = new Linear(3, 4, { rng });
      const second = new Linear(4, 2, { rng });
      expect(bitIdentical(mlp.layers[0], first) && bitIdentical(mlp.layers[1], second)).to.equal(
        true,
      );
      expect(bitIdentical(mlp, new MLP([3, 4, 2], { activation: 'relu', seed: 'abc' }))).to.equal(
        true,
      );
      expect(bitIdentical(mlp, new MLP([3, 4, 2], { activation: 'relu', seed: 'abd' }))).to.equal(
        false,
      );
    });

    for (const [name, fn] of [
      ['relu', relu],
      ['tanh', tanh],
      ['sigmoid', sigmoid],
    ] as const) {
      it(`with ${name}: forward is layer, ${name}, layer, ${name}, layer (no activation on the output)`, () => {
        const mlp = new MLP([3, 4, 4, 2], { activation: name, seed: 3 });
        const x = randn([5, 3], { seed: 4 });
        const [l0, l1, l2] = mlp.layers;
        const expected = l2.forward(fn(l1.forward(fn(l0.forward(x)))));
        const y = mlp.forward(x);
        expect(y.shape).to.deep.equal([5, 2]);
        expect(Array.from(y.data)).to.deep.equal(Array.from(expected.data));
      });

      it(`with ${name}: passes gradcheck for the input and every parameter (3-4-2, input [2,3])`, () => {
        const mlp = new MLP([3, 4, 2], { activation: name, seed: 5 });
        const x = randn([2, 3], { seed: 6, requiresGrad: true });
        // gradcheck perturbs each tensor in place and reads its .grad, so passing the
        // model's own parameters checks their gradients too (full Jacobian of the [2,2] output).
        expect(gradcheck((input) => mlp.forward(input), [x, ...mlp.parameters()])).to.equal(true);
      });
    }

    it('defaults to relu, and rejects an unknown activation or bad sizes', () => {
      expect(new MLP([2, 2], { seed: 1 }).activation).to.equal('relu');
      expect(() => new MLP([3, 2], { activation: 'gelu' as 'relu', seed: 1 })).to.throw(
        'MLP: unknown activation "gelu" (allowed: relu, tanh, sigmoid)',
      );
      expect(() => new MLP([3], { seed: 1 })).to.throw(
        'MLP: sizes must list at least the input and output sizes, e.g. [4, 16, 3], got [3]',
      );
      expect(() => new MLP([3, 0, 2], { seed: 1 })).to.throw(
        'MLP: every size must be a positive integer, got [3,0,2]',
      );
      expect(() => new MLP([3, 2], { activation: 'tanh' } as unknown as MLPOptions)).to.throw(
        'MLP: pass { seed } or { rng }',
      );
    });

    it('rejects a misspelt option, listing the allowed ones', () => {
      expect(() => new MLP([3, 2], { seed: 1, activaton: 'tanh' } as never)).to.throw(
        "MLP: unknown option 'activaton' (allowed: activation, seed, rng)",
      );
    });

    it('activationByName returns the op, or lists the allowed names', () => {
      expect(activationByName('tanh')).to.equal(tanh);
      expect(() => activationByName('softmax')).to.throw(
        'unknown activation "softmax" (allowed: relu, tanh, sigmoid)',
      );
    });
  });

  describe('Module', () => {
    it('parameters() and namedParameters() list a tied (shared) tensor once, first name wins', () => {
      /** An encoder and a decoder sharing one weight tensor (the decoder also has its own). */
      class Tied extends Module {
        readonly encoder: Linear;
        readonly decoder: Linear;
        constructor() {
          super();
          this.encoder = this.registerModule('encoder', new Linear(3, 3, { seed: 1 }));
          this.decoder = this.registerModule('decoder', new Linear(3, 3, { seed: 2 }));
          this.registerParameter('scale', this.encoder.weight);
        }
        forward(x: Tensor): Tensor {
          return this.decoder.forward(this.encoder.forward(x));
        }
      }
      const model = new Tied();
      expect(model.namedParameters().map(([n]) => n)).to.deep.equal([
        'scale',
        'encoder.bias',
        'decoder.weight',
        'decoder.bias',
      ]);
      expect(model.namedParameters()[0][1]).to.equal(model.encoder.weight);
      expect(model.parameters()).to.have.length(4);
      expect(new Set(model.parameters()).size).to.equal(4);
      expect(Object.keys(model.stateDict())).to.deep.equal(model.namedParameters().map(([n]) => n));
      // As PyTorch: an optimizer takes parameters() of a model with tied weights ...
      const optimizer = new SGD(model.parameters(), { lr: 0.1 });
      model
        .forward(randn([2, 3], { seed: 3 }))
        .sum()
        .backward();
      const before = Array.from(model.encoder.weight.data);
      optimizer.step();
      expect(Array.from(model.encoder.weight.data)).to.not.deep.equal(before);
      // ... and still refuses a list that really names one tensor twice.
      expect(() => new SGD([model.encoder.weight, model.encoder.weight], { lr: 0.1 })).to.throw(
        'SGD: parameter 1 appears more than once in params',
      );
    });

    it('zeroGrad sets every gradient to null; train() and eval() reach every sub-module', () => {
      const mlp = new MLP([3, 4, 2], { seed: 1 });
      mlp.forward(randn([2, 3], { seed: 2 })).backward(
        tensor([
          [1, 1],
          [1, 1],
        ]),
      );
      expect(mlp.parameters().every((p) => p.grad !== null)).to.equal(true);
      mlp.zeroGrad();
      expect(mlp.parameters().every((p) => p.grad === null)).to.equal(true);
      expect(mlp.eval()).to.equal(mlp);
      expect([mlp.training, ...mlp.layers.map((l) => l.training)]).to.deep.equal([
        false,
        false,
        false,
      ]);
      mlp.train();
      expect([mlp.training, ...mlp.layers.map((l) => l.training)]).to.deep.equal([
        true,
        true,
        true,
      ]);
    });

    it('stateDict is a JSON-able copy, and loadStateDict restores it bit for bit, in place', () => {
      const source = new MLP([3, 4, 2], { seed: 1 });
      const target = new MLP([3, 4, 2], { seed: 2 });
      const state = source.stateDict();
      expect(Object.keys(state)).to.deep.equal(source.namedParameters().map(([n]) => n));
      expect(state['layers.0.weight'].shape).to.deep.equal([4, 3]);
      state['layers.0.bias'].data[0] = 123; // a copy: the model does not change
      expect(source.layers[0].bias.data[0]).to.not.equal(123);

      const tensorsBefore = target.parameters();
      const optimizer = new SGD(target.parameters(), { lr: 0.1 });
      target.loadStateDict(JSON.parse(JSON.stringify(source.stateDict())));
      expect(bitIdentical(source, target)).to.equal(true);
      // The same tensors were overwritten, so an optimizer made before still updates the model.
      expect(target.parameters()).to.deep.equal(tensorsBefore);
      expect(optimizer.params[0]).to.equal(target.layers[0].weight);
    });

    describe('loadStateDict rejects a bad state, naming the parameter, and changes nothing', () => {
      const make = () => new MLP([3, 4, 2], { seed: 1 });
      // A valid state from another model, then spoiled in one place: loading it partly
      // would change the model, so an unchanged model shows that nothing was copied.
      const spoiled = (spoil: (state: StateDict) => void): StateDict => {
        const state = new MLP([3, 4, 2], { seed: 99 }).stateDict();
        spoil(state);
        return state;
      };
      const cases: [string, StateDict, string][] = [
        [
          'a missing parameter',
          spoiled((s) => delete s['layers.1.bias']),
          "missing parameter 'layers.1.bias' (shape [2])",
        ],
        [
          'an unexpected parameter',
          spoiled((s) => (s['layers.2.weight'] = { shape: [1], data: [0] })),
          "unexpected parameter 'layers.2.weight' (the model has no such parameter)",
        ],
        [
          'a wrong shape',
          spoiled((s) => (s['layers.1.weight'].shape = [4, 2])),
          "parameter 'layers.1.weight': shape [4,2] in the state but [2,4] in the model",
        ],
        [
          'a wrong number of values',
          spoiled((s) => s['layers.1.bias'].data.pop()),
          "parameter 'layers.1.bias': data has 1 values but shape [2] needs 2",
        ],
        [
          'a null value (what JSON makes of NaN)',
          spoiled((s) => ((s['layers.1.bias'].data as unknown[])[1] = null)),
          "parameter 'layers.1.bias': data[1] is null, not a finite number",
        ],
        [
          'an infinite value',
          spoiled((s) => (s['layers.1.weight'].data[3] = Infinity)),
          "parameter 'layers.1.weight': data[3] is Infinity, not a finite number",
        ],
        [
          'a string value',
          spoiled((s) => ((s['layers.0.bias'].data as unknown[])[0] = '0.5')),
          `parameter 'layers.0.bias': data[0] is "0.5", not a finite number`,
        ],
        ['not an object', [] as unknown as StateDict, 'the state must be an object'],
      ];
      for (const [label, state, message] of cases) {
        it(label, () => {
          const model = make();
          const before = snapshot(model);
          expect(() => model.loadStateDict(state)).to.throw(message);
          expect(() => model.loadStateDict(state)).to.throw(
            'loadStateDict: cannot load the state into MLP (the model is unchanged)',
          );
          expect(snapshot(model)).to.deep.equal(before);
        });
      }

      it('lists every problem at once', () => {
        const state = spoiled((s) => {
          delete s['layers.0.weight'];
          s.extra = { shape: [1], data: [1] };
        });
        expect(() => make().loadStateDict(state)).to.throw(
          'loadStateDict: cannot load the state into MLP (the model is unchanged):\n' +
            "  missing parameter 'layers.0.weight' (shape [4,3])\n" +
            "  unexpected parameter 'extra' (the model has no such parameter)",
        );
      });
    });

    describe('save and load', () => {
      let dir: string;
      before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maskgrad-nn-'));
      });
      after(() => {
        fs.rmSync(dir, { recursive: true, force: true });
      });

      it('round-trips through a JSON file bit for bit', () => {
        const file = path.join(dir, 'model.json');
        const source = new MLP([3, 4, 2], { activation: 'tanh', seed: 1 });
        saveModule(source, file);
        const target = new MLP([3, 4, 2], { activation: 'tanh', seed: 2 });
        loadModule(target, file);
        expect(bitIdentical(source, target)).to.equal(true);
        expect(JSON.parse(fs.readFileSync(file, 'utf8'))).to.deep.equal(source.stateDict());
        expect(fs.readdirSync(dir)).to.deep.equal(['model.json']); // no temporary file left
      });

      it('a truncated file is an error naming the file, and the model is unchanged', () => {
        const file = path.join(dir, 'truncated.json');
        saveModule(new MLP([3, 4, 2], { seed: 1 }), file);
        const text = fs.readFileSync(file, 'utf8');
        fs.writeFileSync(file, text.slice(0, Math.floor(text.length / 2)));
        const model = new MLP([3, 4, 2], { seed: 2 });
        const before = snapshot(model);
        expect(() => loadModule(model, file)).to.throw(
          `loadModule: ${file} is not valid JSON (is it truncated or edited?)`,
        );
        expect(snapshot(model)).to.deep.equal(before);
      });

      it('an edited file (valid JSON, wrong shape) is an error naming the file and the parameter', () => {
        const file = path.join(dir, 'edited.json');
        const state = new MLP([3, 4, 2], { seed: 1 }).stateDict();
        state['layers.0.weight'].shape = [3, 4];
        fs.writeFileSync(file, JSON.stringify(state));
        const model = new MLP([3, 4, 2], { seed: 2 });
        const before = snapshot(model);
        expect(() => loadModule(model, file)).to.throw(
          `loadModule: ${file}: loadStateDict: cannot load the state into MLP (the model is unchanged):\n` +
            "  parameter 'layers.0.weight': shape [3,4] in the state but [4,3] in the model",
        );
        expect(snapshot(model)).to.deep.equal(before);
      });

      it('a file cut off at any point is an error naming the file, and the model is unchanged', () => {
        const file = path.join(dir, 'cut.json');
        const source = new MLP([3, 4, 2], { seed: 1 });
        saveModule(source, file);
        const text = fs.readFileSync(file, 'utf8');
        const model = new MLP([3, 4, 2], { seed: 2 });
        const before = snapshot(model);
        // Every proper prefix of the file, from empty to one character short.
        for (let length = 0; length < text.length; length++) {
          fs.writeFileSync(file, text.slice(0, length));
          expect(() => loadModule(model, file), `cut at ${length}`).to.throw(
            `loadModule: ${file} is not valid JSON (is it truncated or edited?)`,
          );
        }
        expect(snapshot(model)).to.deep.equal(before);
        // The model still loads a good file afterwards.
        fs.writeFileSync(file, text);
        loadModule(model, file);
        expect(bitIdentical(model, source)).to.equal(true);
      });

      describe('an edited file (still valid JSON) is an error naming the file and what is wrong, and the model is unchanged', () => {
        const prefix = (file: string) =>
          `loadModule: ${file}: loadStateDict: cannot load the state into MLP (the model is unchanged):\n  `;
        // Each edit works on the text of a saved [3, 4, 2] model, as a person or a tool might.
        const edits: [string, (text: string) => string, string][] = [
          [
            'a value changed to a string',
            (t) => t.replace(/("layers\.1\.weight":\{"shape":\[2,4\],"data":\[)[^,]+/, '$1"0.25"'),
            `parameter 'layers.1.weight': data[0] is "0.25", not a finite number`,
          ],
          [
            'a value changed to null',
            (t) => t.replace(/("layers\.0\.bias":\{"shape":\[4\],"data":\[[^,]+,)[^,]+/, '$1null'),
            "parameter 'layers.0.bias': data[1] is null, not a finite number",
          ],
          [
            'a value too large for a float64 (1e999, which JSON.parse reads as Infinity)',
            (t) => t.replace(/("layers\.1\.bias":\{"shape":\[2\],"data":\[)[^,]+/, '$11e999'),
            "parameter 'layers.1.bias': data[0] is Infinity, not a finite number",
          ],
          [
            'a shape edited',
            (t) => t.replace('"shape":[4,3]', '"shape":[3,4]'),
            "parameter 'layers.0.weight': shape [3,4] in the state but [4,3] in the model",
          ],
          [
            'a shape edited to strings',
            (t) => t.replace('"shape":[4,3]', '"shape":["4","3"]'),
            `parameter 'layers.0.weight': its shape ["4","3"] is not an array of non-negative integers (the model has [4,3])`,
          ],
          [
            'a value deleted',
            (t) => t.replace(/("layers\.1\.bias":\{"shape":\[2\],"data":\[)[^,]+,/, '$1'),
            "parameter 'layers.1.bias': data has 1 values but shape [2] needs 2",
          ],
          [
            'a parameter renamed',
            (t) => t.replace('"layers.1.bias"', '"layers.1.b"'),
            "missing parameter 'layers.1.bias' (shape [2])\n" +
              "  unexpected parameter 'layers.1.b' (the model has no such parameter)",
          ],
          [
            'the data of a parameter replaced by a number',
            (t) => t.replace(/("layers\.1\.bias":\{"shape":\[2\],"data":)\[[^\]]*\]/, '$10'),
            "parameter 'layers.1.bias': its data is missing or not an array of numbers",
          ],
          [
            'a parameter replaced by a string',
            (t) => t.replace(/"layers\.1\.bias":\{[^}]*\}/, '"layers.1.bias":"gone"'),
            "parameter 'layers.1.bias': expected an object { shape, data }",
          ],
          [
            'the whole file replaced by null',
            () => 'null',
            'the state must be an object of { shape, data } by parameter name, got null',
          ],
          [
            'the whole file replaced by a list',
            (t) => `[${t}]`,
            'the state must be an object of { shape, data } by parameter name, got an array',
          ],
        ];
        for (const [label, edit, problem] of edits) {
          it(label, () => {
            const file = path.join(dir, 'edited-in-place.json');
            saveModule(new MLP([3, 4, 2], { seed: 1 }), file);
            const text = fs.readFileSync(file, 'utf8');
            const edited = edit(text);
            expect(edited, 'the edit changed the file').to.not.equal(text);
            fs.writeFileSync(file, edited);
            const model = new MLP([3, 4, 2], { seed: 2 });
            const before = snapshot(model);
            let message = '';
            try {
              loadModule(model, file);
            } catch (error) {
              message = (error as Error).message;
            }
            expect(message).to.equal(prefix(file) + problem);
            expect(snapshot(model)).to.deep.equal(before);
          });
        }
      });

      it('a missing file is an error naming the file', () => {
        const file = path.join(dir, 'nothing-here.json');
        expect(() => loadModule(new MLP([3, 2], { seed: 1 }), file)).to.throw(
          `loadModule: cannot read ${file}`,
        );
      });

      it('refuses to save a non-finite weight, which JSON cannot hold', () => {
        const file = path.join(dir, 'nan.json');
        const model = new MLP([3, 2], { seed: 1 });
        model.outputLayer.bias.data[1] = NaN;
        expect(() => saveModule(model, file)).to.throw(
          `saveModule: cannot save ${file}: parameter 'layers.0.bias' has the non-finite value NaN at index 1`,
        );
        expect(fs.existsSync(file)).to.equal(false);
      });
    });

    it('registers parameters and sub-modules under unique names', () => {
      class Pair extends Module {
        readonly scale: Tensor;
        readonly inner: Linear;
        constructor() {
          super();
          this.scale = this.registerParameter('scale', tensor([2]));
          this.inner = this.registerModule('inner', new Linear(2, 2, { seed: 1 }));
          expect(() => this.registerParameter('scale', tensor([1]))).to.throw(
            "Pair: the name 'scale' is already registered",
          );
          expect(() => this.registerModule('a..b', new Linear(1, 1, { seed: 1 }))).to.throw(
            'Pair: invalid name "a..b"',
          );
        }
        forward(x: Tensor): Tensor {
          return this.inner.forward(x).mul(this.scale);
        }
      }
      const pair = new Pair();
      expect(pair.scale.requiresGrad).to.equal(true);
      expect(pair.namedParameters().map(([n]) => n)).to.deep.equal([
        'scale',
        'inner.weight',
        'inner.bias',
      ]);
    });
  });
});
