#!/usr/bin/env node
// The `hybrid-broker` command. A file that exists before the build, so that a
// fresh workspace install links the bin without a warning; the command itself
// is the built dist/bin.js.
import '../dist/bin.js';
