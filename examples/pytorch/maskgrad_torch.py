"""Use a maskgrad model in PyTorch: load the safetensors export, predict, keep training.

    npx maskgrad export --model yeast.model.json --format safetensors --output yeast.safetensors
    /usr/bin/python3 examples/pytorch/maskgrad_torch.py yeast.safetensors \
        --input examples/data/yeast-test.arff --output probabilities.csv
    /usr/bin/python3 examples/pytorch/maskgrad_torch.py yeast.safetensors \
        --input examples/data/yeast-train-missing50.arff --train-epochs 20 --save-state tuned.pt

Needs only PyTorch (Debian: apt-get install python3-torch). The file is read without the
safetensors package: 8 bytes of header length, a JSON header, raw little-endian data.
Training continues with the same masked loss as maskgrad: unknown labels are selected out,
never multiplied by zero. From here, torch.nn.parallel.DistributedDataParallel wraps the
same model to train on many processes or machines.
"""
import argparse
import csv
import json
import math
import struct
import sys

import torch

DTYPES = {"F64": torch.float64, "F32": torch.float32}
ACTIVATIONS = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid}


def read_safetensors(path):
    """The tensors (as float64) and the __metadata__ of a safetensors file."""
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8 : 8 + n])
    metadata = header.pop("__metadata__", {})
    data = blob[8 + n :]
    tensors = {}
    for name, entry in header.items():
        start, end = entry["data_offsets"]
        t = torch.frombuffer(bytearray(data[start:end]), dtype=DTYPES[entry["dtype"]])
        tensors[name] = t.reshape(entry["shape"]).to(torch.float64)
    return tensors, metadata


def build_model(path):
    """torch.nn.Sequential(Linear, activation, ..., Linear) in float64, and the model description."""
    tensors, metadata = read_safetensors(path)
    if metadata.get("format") != "maskgrad-model":
        sys.exit(f"{path}: not a maskgrad export (metadata format {metadata.get('format')!r})")
    description = json.loads(metadata["model"])
    sizes = description["architecture"]["sizes"]
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(ACTIVATIONS[description["architecture"]["activation"]]())
    model = torch.nn.Sequential(*layers).double()
    model.load_state_dict(tensors, strict=True)
    return model, description


def read_table(path):
    """Column names and rows (lists of floats, NaN for unknown) of a CSV or dense ARFF file."""
    if path.lower().endswith(".csv"):
        with open(path, newline="") as f:
            rows = [r for r in csv.reader(f) if r]
        names = [n.strip() for n in rows[0]]
        return names, [[value(v) for v in r] for r in rows[1:]]
    names, rows, in_data = [], [], False
    with open(path) as f:
        for line in f:
            line = line.split("%", 1)[0].strip()
            if not line:
                continue
            if in_data:
                rows.append([value(v) for v in line.split(",")])
            elif line.lower().startswith("@attribute"):
                names.append(line.split()[1].strip("'\""))
            elif line.lower().startswith("@data"):
                in_data = True
    return names, rows


def value(text):
    text = text.strip()
    return math.nan if text in ("", "?") or text.lower() == "nan" else float(text)


def columns(names, wanted, what):
    missing = [n for n in wanted if n not in names]
    if missing:
        sys.exit(f"the input has no column {', '.join(missing)}: {what} the model needs")
    return [names.index(n) for n in wanted]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model", help="the .safetensors file from maskgrad export")
    parser.add_argument("--input", required=True, help="rows to predict, .csv or .arff")
    parser.add_argument("--output", help="write probabilities here (CSV, a header of label names)")
    parser.add_argument("--train-epochs", type=int, default=0, help="keep training on the input's labels")
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--save-state", help="after training, save the state_dict here (torch.save)")
    args = parser.parse_args()

    model, description = build_model(args.model)
    features, labels = description["features"], description["labels"]
    mean = torch.tensor(features["mean"], dtype=torch.float64)
    std = torch.tensor(features["std"], dtype=torch.float64)
    names, rows = read_table(args.input)
    table = torch.tensor(rows, dtype=torch.float64)
    x = (table[:, columns(names, features["names"], "features")] - mean) / std

    model.eval()
    with torch.no_grad():
        probabilities = torch.sigmoid(model(x))
    if args.output:
        with open(args.output, "w", newline="") as f:
            out = csv.writer(f)
            out.writerow(labels["names"])
            out.writerows([[repr(v) for v in row] for row in probabilities.tolist()])
        print(f"wrote {len(rows)} rows of probabilities to {args.output}")

    if args.train_epochs > 0:
        y = table[:, columns(names, labels["names"], "labels")]
        known = ~torch.isnan(y)  # the mask: True where a label is known
        optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
        model.train()
        for epoch in range(1, args.train_epochs + 1):
            optimizer.zero_grad()
            logits = model(x)
            # The masked loss: only known entries are selected, so a NaN at an unknown
            # entry reaches neither the loss nor any gradient.
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits[known], y[known])
            loss.backward()
            optimizer.step()
            print(f"epoch {epoch}: masked loss {loss.item():.6f}")
        if args.save_state:
            torch.save(model.state_dict(), args.save_state)
            print(f"saved the state_dict to {args.save_state}")


if __name__ == "__main__":
    main()
