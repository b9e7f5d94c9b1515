#!/usr/bin/env node
import '../dist/sipwall.js';
