# A UDP relay for the SNMP tests: forwards each request to a real agent on 127.0.0.1 and hands its
# answer back cut to --keep bytes, as a broken path or a faulty agent would: the client must call
# it malformed, not silence.
#   truncating_relay.py --target PORT --keep BYTES --port-file FILE
import argparse
import select
import socket

parser = argparse.ArgumentParser()
parser.add_argument("--target", type=int, required=True)
parser.add_argument("--keep", type=int, required=True)
parser.add_argument("--port-file", required=True)
args = parser.parse_args()

front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
front.bind(("127.0.0.1", 0))
back = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
back.bind(("127.0.0.1", 0))
client = None
with open(args.port_file + ".tmp", "w") as f:
    f.write(str(front.getsockname()[1]))
import os  # noqa: E402
os.rename(args.port_file + ".tmp", args.port_file)

while True:
    ready, _, _ = select.select([front, back], [], [])
    for sock in ready:
        data, address = sock.recvfrom(65535)
        if sock is front:
            client = address
            back.sendto(data, ("127.0.0.1", args.target))
        elif client is not None:
            front.sendto(data[: args.keep], client)
