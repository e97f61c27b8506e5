#!/usr/bin/env node
import { main } from '../dist/src/cli/main.js';

const code = await main(process.argv.slice(2));
// Exit explicitly: stray keep-alive sockets or timers in user code must not hold the process open.
process.exit(code);
