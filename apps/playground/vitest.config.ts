import { defineProject, mergeConfig } from 'vitest/config';
import { dlProject } from '../../vitest.shared.js';

// The browser tests (test/e2e) are a project of their own in the root config:
// they drive Chromium against the built page and run once, not per thread mode.
export default mergeConfig(dlProject(), defineProject({ test: { exclude: ['test/e2e/**', '**/node_modules/**'] } }));
