#!/usr/bin/env node
'use strict';
// The CLI is bundled by esbuild (npm run build, run automatically by npm ci / npm install).
const path = require('node:path');
const fs = require('node:fs');
const bundle = path.join(__dirname, '..', 'dist', 'trailwatch.js');
if (!fs.existsSync(bundle)) {
  console.error('trailwatch: dist/trailwatch.js is missing; run `npm run build` first.');
  process.exit(2);
}
// Required, the bundle is not the main module, so it does not start itself: start it here.
void require(bundle).main();
