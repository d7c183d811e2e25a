"""One-process replacement for `keystone-manage db_sync; fernet_setup; credential_setup; bootstrap`.

Each keystone-manage call pays ~3 s of imports; doing all four in one interpreter saves ~10 s.
Run with Debian's /usr/bin/python3 (keystone lives in its dist-packages):

    /usr/bin/python3 setup.py CONF_FILE -- <keystone-manage bootstrap options>
"""

import os
import sys

from cryptography.fernet import Fernet


def key_repository(path):
    # Same layout as `keystone-manage fernet_setup` / `credential_setup`:
    # key 0 is the staged key, the highest index is the primary key.
    os.makedirs(path, mode=0o700, exist_ok=True)
    for index in ('0', '1'):
        target = os.path.join(path, index)
        if not os.path.exists(target):
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, 'wb') as f:
                f.write(Fernet.generate_key())


def main():
    conf = sys.argv[1]
    rest = sys.argv[sys.argv.index('--') + 1:] if '--' in sys.argv else []

    from keystone.cmd import cli
    from keystone.common.sql import upgrades

    bootstrap = cli.BootStrap.main

    def sync_then_bootstrap():
        conf_ = cli.CONF
        key_repository(conf_.fernet_tokens.key_repository)
        key_repository(conf_.credential.key_repository)
        upgrades.offline_sync_database_to_version(None)
        bootstrap()

    cli.BootStrap.main = staticmethod(sync_then_bootstrap)
    cli.main(argv=['keystone-manage', '--config-file', conf, 'bootstrap', *rest])


if __name__ == '__main__':
    main()
