"""Serve a WSGI application factory on one address, single-threaded.

    /usr/bin/python3 wsgi-serve.py MODULE:FACTORY HOST PORT [-- APP ARGS...]

Single-threaded on purpose: Keystone and Placement import eventlet without monkey-patching, and
under a threaded server concurrent requests deadlock ("cannot switch to a different thread").
One request at a time is plenty for a test stack.
"""

import importlib
import sys
import wsgiref.simple_server as simple


class Server(simple.WSGIServer):
    allow_reuse_address = True
    request_queue_size = 64


class QuietHandler(simple.WSGIRequestHandler):
    def log_message(self, fmt, *args):
        sys.stderr.write('%s %s\n' % (self.address_string(), fmt % args))


def main():
    target, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rest = sys.argv[4:]
    if rest and rest[0] == '--':
        rest = rest[1:]
    # The factories parse sys.argv for --config-file.
    sys.argv[1:] = rest
    module, factory = target.split(':')
    app = getattr(importlib.import_module(module), factory)()
    server = simple.make_server(host, port, app, server_class=Server, handler_class=QuietHandler)
    print('serving %s on %s:%d' % (target, host, port), flush=True)
    server.serve_forever()


if __name__ == '__main__':
    main()
