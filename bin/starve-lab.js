#!/usr/bin/env node
// starve-lab's command-line entry: runs the compiled CLI and exits with its code.
import { main } from '../dist/cli/main.js';

const code = await main(process.argv.slice(2));
// Done, whatever else is left on the loop (a user's scenario module may hold a timer): exit once
// stdout and stderr have taken everything written to them.
process.exitCode = code;
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
