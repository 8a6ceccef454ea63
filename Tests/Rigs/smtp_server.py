"""A real SMTP server for Simpul's tests (aiosmtpd), on 127.0.0.1 only.

Started by Tests/Rigs/SMTPServer.swift with the test venv's Python (.venv-test, made by `make test`).
Each message accepted is stored in --dir as N.eml (the bytes as received, after the dot-unstuffing)
beside N.json (the envelope: MAIL FROM, RCPT TO, the AUTH login, whether the session was TLS; and the
message as Python's email package reads it: decoded headers, the decoded body, any defects),
written to a temporary name and renamed, so a reader never sees half a message. The port it listens
on (--port, 0 for a free one) is written to --port-file once it accepts connections.

  --auth USER:PASS        AUTH (PLAIN, LOGIN) required, with this one account
  --starttls CERT KEY     offer STARTTLS with this certificate
  --require-starttls      refuse everything but EHLO/STARTTLS/QUIT before TLS
  --smtps CERT KEY        TLS from the first byte instead
  --refuse ADDRESS        answer RCPT TO this address with 550 (repeatable)
"""

import argparse
import asyncio
import email
import email.policy
import json
import os
import signal
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def main():
    # The test process that starts us blocks most signals in its threads, and a child inherits the
    # mask: unblock them, or the SIGTERM that stops us would wait forever.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--auth")
    parser.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--require-starttls", action="store_true")
    parser.add_argument("--smtps", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--refuse", action="append", default=[])
    args = parser.parse_args()

    refused = {address.lower() for address in args.refuse}
    count = [0]

    class Handler:
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if address.lower() in refused:
                return "550 5.1.1 <%s>: recipient unknown" % address
            envelope.rcpt_tos.append(address)
            return "250 2.1.5 OK"

        async def handle_DATA(self, server, session, envelope):
            count[0] += 1
            base = os.path.join(args.dir, "%04d" % count[0])
            content = envelope.original_content or envelope.content
            with open(base + ".eml.tmp", "wb") as f:
                f.write(content)
            # Python's own mail parser reads it back, independently of Simpul's encoder.
            parsed = email.message_from_bytes(content, policy=email.policy.default)
            try:
                body = parsed.get_content().replace("\r\n", "\n")
            except Exception as error:  # noqa: BLE001 - reported to the test
                body = None
                parsed.defects.append(error)
            envelope_info = {
                "mail_from": envelope.mail_from,
                "rcpt_tos": envelope.rcpt_tos,
                "login": login(session),
                # An smtps server speaks nothing but TLS.
                "tls": session.ssl is not None or implicit is not None,
                "headers": [[name, str(value)] for name, value in parsed.items()],
                "body": body,
                "defects": [repr(d) for d in parsed.defects]
                + [repr(d) for value in parsed.values() for d in getattr(value, "defects", [])],
            }
            with open(base + ".json.tmp", "w") as f:
                json.dump(envelope_info, f)
            os.rename(base + ".json.tmp", base + ".json")
            os.rename(base + ".eml.tmp", base + ".eml")
            return "250 2.0.0 Message accepted for delivery"

    def login(session):
        data = getattr(session, "auth_data", None)
        return data.decode() if isinstance(data, bytes) else None

    user, password = (args.auth.split(":", 1) if args.auth else (None, None))

    def authenticator(server, session, envelope, mechanism, auth_data):
        if isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password:
            return AuthResult(success=True, auth_data=auth_data.login)
        return AuthResult(success=False, handled=False)

    def context(cert, key):
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(cert, key)
        return ctx

    starttls = context(*args.starttls) if args.starttls else None
    implicit = context(*args.smtps) if args.smtps else None

    def factory():
        return SMTP(
            Handler(),
            hostname="simpul-test-smtp",
            tls_context=starttls,
            require_starttls=args.require_starttls,
            authenticator=authenticator if user is not None else None,
            auth_required=user is not None,
            # The tests also try AUTH without TLS (on loopback); a real server would refuse it.
            auth_require_tls=False,
            decode_data=False,
        )

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(loop.create_server(factory, host="127.0.0.1", port=args.port, ssl=implicit))
    port = server.sockets[0].getsockname()[1]
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(port))
    os.rename(args.port_file + ".tmp", args.port_file)
    print("listening on 127.0.0.1:%d" % port, flush=True)
    # Gone with the test process, even when it dies without stopping us.
    parent = os.getppid()

    def watch():
        if os.getppid() != parent:
            os._exit(0)
        loop.call_later(0.5, watch)

    loop.call_later(0.5, watch)
    try:
        loop.run_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
