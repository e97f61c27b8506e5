#!/usr/bin/env node
import { main } from '../dist/analyze/cli.js';

// Exit explicitly with the analyzer's code (0 fine, 1 target missed / regression, 2 bad input).
process.exit(await main(process.argv.slice(2)));
