#!/usr/bin/env node
// The `cloud-sim` command. A file that exists before the build, so that a
// fresh workspace install links the bin without a warning; the command itself
// is the built dist/cli.js.
import '../dist/cli.js';
