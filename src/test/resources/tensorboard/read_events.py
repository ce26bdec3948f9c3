#!/usr/bin/env python3
"""An independent reader of TensorBoard event files, for the tests: TFRecord framing with its own CRC32C
(Castagnoli, bitwise, not the JDK's) and a protobuf wire decoder written from the spec
(https://protobuf.dev/programming-guides/encoding/), no tensorboard or protobuf package needed.

Usage: read_events.py FILE  -> prints one JSON object per event; exit 1 with a message on any bad CRC or framing.
Field numbers: tensorflow/core/util/event.proto, tensorflow/core/framework/summary.proto, tensor.proto,
tensorboard/plugins/hparams/plugin_data.proto and api.proto, google/protobuf/struct.proto."""
import json
import struct
import sys


def crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def masked(crc):
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


def fields(buf):
    """(field number, wire type, value) triples; value is int for varint/fixed, bytes for length-delimited."""
    i, out = 0, []
    while i < len(buf):
        key, i = varint(buf, i)
        num, wt = key >> 3, key & 7
        if wt == 0:
            v, i = varint(buf, i)
        elif wt == 1:
            v = buf[i:i + 8]; i += 8
            if len(v) != 8: raise ValueError("truncated fixed64")
        elif wt == 5:
            v = buf[i:i + 4]; i += 4
            if len(v) != 4: raise ValueError("truncated fixed32")
        elif wt == 2:
            n, i = varint(buf, i)
            if i + n > len(buf): raise ValueError("length past the end")
            v = buf[i:i + n]; i += n
        else:
            raise ValueError("wire type %d" % wt)
        out.append((num, wt, v))
    return out


def varint(buf, i):
    shift = result = 0
    while True:
        if i >= len(buf): raise ValueError("truncated varint")
        b = buf[i]; i += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80: return result, i
        shift += 7


def f64(b): return struct.unpack('<d', b)[0]
def f32(b): return struct.unpack('<f', b)[0]


def proto_value(buf):  # google.protobuf.Value
    for num, wt, v in fields(buf):
        if num == 2: return f64(v)
        if num == 3: return v.decode('utf-8')
        if num == 4: return bool(v)
    return None


def hparams_data(content):  # HParamsPluginData
    out = {}
    for num, wt, v in fields(content):
        if num == 1: out['version'] = v
        elif num == 2:  # Experiment
            exp = {'hparams': [], 'metrics': []}
            for n, w, x in fields(v):
                if n == 3: exp['time_created_secs'] = f64(x)
                elif n == 4:
                    info = {n2: x2 for n2, w2, x2 in fields(x)}
                    exp['hparams'].append({'name': info[1].decode(), 'type': info.get(4, 0)})
                elif n == 5:
                    name = dict((n2, x2) for n2, w2, x2 in fields(x)).get(1, b'')
                    parts = {n3: x3.decode() for n3, w3, x3 in fields(name)}
                    exp['metrics'].append({'group': parts.get(1, ''), 'tag': parts.get(2, '')})
            out['experiment'] = exp
        elif num == 3:  # SessionStartInfo
            start = {'hparams': {}}
            for n, w, x in fields(v):
                if n == 1:
                    entry = {n2: x2 for n2, w2, x2 in fields(x)}
                    start['hparams'][entry[1].decode()] = proto_value(entry.get(2, b''))
                elif n == 4: start['group_name'] = x.decode()
                elif n == 5: start['start_time_secs'] = f64(x)
            out['session_start_info'] = start
        elif num == 4:  # SessionEndInfo
            end = {'status': 0}
            for n, w, x in fields(v):
                if n == 1: end['status'] = x
                elif n == 2: end['end_time_secs'] = f64(x)
            out['session_end_info'] = end
    return out


def summary_value(buf):  # Summary.Value
    out = {}
    for num, wt, v in fields(buf):
        if num == 1: out['tag'] = v.decode('utf-8')
        elif num == 2 and wt == 5: out['simple_value'] = f32(v)
        elif num == 8:  # TensorProto
            t = {'dtype': 0, 'dims': None, 'float_val': []}
            for n, w, x in fields(v):
                if n == 1: t['dtype'] = x
                elif n == 2: t['dims'] = [dict((n3, x3) for n3, w3, x3 in fields(d)).get(1, 0) for n2, w2, d in fields(x) if n2 == 2]
                elif n == 5: t['float_val'] += [f32(x[j:j + 4]) for j in range(0, len(x), 4)] if w == 2 else [f32(x)]
            out['tensor'] = t
        elif num == 9:  # SummaryMetadata
            for n, w, x in fields(v):
                if n == 1:
                    pd = {n2: x2 for n2, w2, x2 in fields(x)}
                    out['plugin_name'] = pd.get(1, b'').decode()
                    if out['plugin_name'] == 'hparams': out['hparams'] = hparams_data(pd.get(2, b''))
    return out


def event(buf):
    out = {'wall_time': 0.0, 'step': 0, 'values': []}
    for num, wt, v in fields(buf):
        if num == 1: out['wall_time'] = f64(v)
        elif num == 2: out['step'] = v
        elif num == 3: out['file_version'] = v.decode()
        elif num == 5: out['values'] = [summary_value(x) for n, w, x in fields(v) if n == 1]
    return out


def main(path):
    data = open(path, 'rb').read()
    i = 0
    while i < len(data):
        if i + 12 > len(data): fail(path, i, 'truncated header')
        header = data[i:i + 8]
        (length,) = struct.unpack('<Q', header)
        (length_crc,) = struct.unpack('<I', data[i + 8:i + 12])
        if masked(crc32c(header)) != length_crc: fail(path, i, 'length CRC mismatch')
        payload = data[i + 12:i + 12 + length]
        if len(payload) != length or i + 16 + length > len(data): fail(path, i, 'truncated record')
        (data_crc,) = struct.unpack('<I', data[i + 12 + length:i + 16 + length])
        if masked(crc32c(payload)) != data_crc: fail(path, i, 'data CRC mismatch')
        print(json.dumps(event(payload)))
        i += 16 + length


def fail(path, offset, why):
    sys.stderr.write('%s: record at byte %d: %s\n' % (path, offset, why))
    sys.exit(1)


if __name__ == '__main__':
    main(sys.argv[1])
