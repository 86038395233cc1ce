#!/usr/bin/env node
// starve-lab's command-line entry: runs the compiled CLI and exits with its code.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
