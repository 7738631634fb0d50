"""Use a maskgrad model in PyTorch: load the safetensors export, predict, keep training.

    npx maskgrad export --model yeast.model.json --format safetensors --output yeast.safetensors
    /usr/bin/python3 examples/pytorch/maskgrad_torch.py yeast.safetensors \
        --input examples/data/yeast-test.arff --output probabilities.csv
    /usr/bin/python3 examples/pytorch/maskgrad_torch.py yeast.safetensors \
        --input examples/data/yeast-train-missing50.arff --train-epochs 20 --save-state tuned.pt
    /usr/bin/python3 examples/pytorch/maskgrad_torch.py mine.safetensors \
        --input new-rows.tsv --id id --ignore note --output probabilities.csv

Reads what maskgrad reads: CSV, TSV or semicolon-separated text (the delimiter detected from
the header line, or --delimiter) and dense ARFF; columns matched by name; unknown labels empty,
?, NaN or -1. The id column (--id, default the model's training.idColumn when the input has
it) is written first; columns the model does not use are left alone, so a text column never
stops it; a bad value in a column it reads is one line on stderr, exit code 2.

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


class InputError(Exception):
    """Bad input: printed as one line (the script's name, then the message), exit code 2."""


DELIMITERS = {"comma": ",", "tab": "\t", "semicolon": ";", ",": ",", "\t": "\t", ";": ";"}


def detect_delimiter(header_line):
    """The delimiter maskgrad detects: the most frequent of , tab ; outside double quotes
    (a tie goes to the first of comma, tab, semicolon; none of them: a comma)."""
    counts, quoted = {",": 0, "\t": 0, ";": 0}, False
    for ch in header_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    return max([",", "\t", ";"], key=lambda d: (counts[d], -[",", "\t", ";"].index(d)))


def split_arff(line):
    """The values of a dense ARFF data line: split on commas outside quotes, unquoted."""
    values, current, quote, i = [], "", "", 0
    while i < len(line):
        ch = line[i]
        if quote:
            if ch == "\\" and i + 1 < len(line):
                i += 1
                current += line[i]
            elif ch == quote:
                quote = ""
            else:
                current += ch
        elif ch in "'\"":
            quote = ch
        elif ch == ",":
            values.append(current.strip())
            current = ""
        else:
            current += ch
        i += 1
    values.append(current.strip())
    return values


def read_table(path, delimiter=None):
    """Column names and rows (lists of text fields, with each row's line number) of a
    delimited text file (.csv, .tsv, .txt; the delimiter detected from the header line unless
    given) or a dense ARFF file."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            text = f.read()
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror}")
    lines = text.splitlines()
    if path.lower().endswith(".arff"):
        names, rows, in_data = [], [], False
        for number, line in enumerate(lines, 1):
            line = line.split("%", 1)[0].strip()
            if not line:
                continue
            if in_data:
                rows.append((number, split_arff(line)))
            elif line.lower().startswith("@attribute"):
                names.append(line.split()[1].strip("'\""))
            elif line.lower().startswith("@data"):
                in_data = True
        return names, rows
    numbered = [(n, line) for n, line in enumerate(lines, 1) if line.strip()]
    if not numbered:
        raise InputError(f"{path} is empty; expected a header row")
    delimiter = delimiter or detect_delimiter(numbered[0][1])
    records = [(n, r) for (n, _), r in zip(numbered, csv.reader([l for _, l in numbered], delimiter=delimiter))]
    names = [name.strip() for name in records[0][1]]
    rows = []
    for number, fields in records[1:]:
        if len(fields) != len(names):
            raise InputError(f"{path}: line {number}: expected {len(names)} fields, found {len(fields)}")
        rows.append((number, fields))
    return names, rows


def feature_value(text, name, number):
    """A feature's number; anything else is a one-line error naming the column and the line."""
    text = text.strip()
    try:
        v = float(text)
    except ValueError:
        v = math.nan
    if not math.isfinite(v) or text.lower() in ("nan", "inf", "+inf", "-inf", "infinity"):
        raise InputError(f'line {number}: feature "{name}" is "{text}"; expected a number')
    return v


def label_value(text, name, number):
    """0 or 1, or NaN for unknown (empty, ?, NaN in any case, or -1), as maskgrad reads labels."""
    text = text.strip()
    if text in ("", "?") or text.lower() == "nan":
        return math.nan
    try:
        v = float(text)
    except ValueError:
        v = math.inf
    if v == -1:
        return math.nan
    if v not in (0, 1):
        raise InputError(
            f'line {number}: label "{name}" is "{text}"; expected 0, 1, or empty, ?, NaN or -1 for unknown'
        )
    return v


def columns(names, wanted, what):
    missing = [n for n in wanted if n not in names]
    if missing:
        shown = ", ".join(f'"{n}"' for n in missing[:3])
        more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
        raise InputError(f"the input has no column {shown}{more}: {what} the model needs")
    return [names.index(n) for n in wanted]


def column_roles(names, description, args):
    """The id column's index (or None) after checking --id and --ignore against the input."""
    needed = set(description["features"]["names"])
    for name in args.ignore:
        if name not in names:
            raise InputError(f'--ignore: the input has no column "{name}"')
        if name in needed:
            raise InputError(f'--ignore: column "{name}" is a feature the model needs')
    if args.id is not None:
        if args.id not in names:
            raise InputError(f'--id: the input has no column "{args.id}"')
        return names.index(args.id)
    default = description.get("training", {}).get("idColumn")
    return names.index(default) if default in names else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model", help="the .safetensors file from maskgrad export")
    parser.add_argument("--input", required=True, help="rows to predict, .csv, .tsv, .txt or .arff")
    parser.add_argument("--output", help="write probabilities here (CSV, a header of label names)")
    parser.add_argument("--id", help="a column of row ids, written first (default: the model's id column)")
    parser.add_argument("--ignore", default="", help="columns to leave out, comma separated")
    parser.add_argument("--delimiter", choices=sorted(DELIMITERS), help="default: detected from the header line")
    parser.add_argument("--train-epochs", type=int, default=0, help="keep training on the input's labels")
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--save-state", help="after training, save the state_dict here (torch.save)")
    args = parser.parse_args()
    args.ignore = [n.strip() for n in args.ignore.split(",") if n.strip()]
    try:
        run(args)
    except InputError as e:
        print(f"maskgrad_torch.py: {e}", file=sys.stderr)
        sys.exit(2)


def run(args):
    model, description = build_model(args.model)
    features, labels = description["features"], description["labels"]
    mean = torch.tensor(features["mean"], dtype=torch.float64)
    std = torch.tensor(features["std"], dtype=torch.float64)
    names, rows = read_table(args.input, DELIMITERS.get(args.delimiter))
    id_column = column_roles(names, description, args)
    feature_columns = columns(names, features["names"], "features")
    raw = [[feature_value(r[c], names[c], n) for c in feature_columns] for n, r in rows]
    x = (torch.tensor(raw, dtype=torch.float64).reshape(len(rows), len(feature_columns)) - mean) / std

    model.eval()
    with torch.no_grad():
        probabilities = torch.sigmoid(model(x))
    if args.output:
        with open(args.output, "w", newline="") as f:
            out = csv.writer(f, lineterminator="\n")
            ids = [r[id_column].strip() for _, r in rows] if id_column is not None else None
            out.writerow(([names[id_column]] if ids else []) + labels["names"])
            for i, row in enumerate(probabilities.tolist()):
                out.writerow(([ids[i]] if ids else []) + [repr(v) for v in row])
        print(f"wrote {len(rows)} rows of probabilities to {args.output}")

    if args.train_epochs > 0:
        label_columns = columns(names, labels["names"], "labels")
        targets = [[label_value(r[c], names[c], n) for c in label_columns] for n, r in rows]
        y = torch.tensor(targets, dtype=torch.float64)
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
