// Imported first by every webapp test: a DOM (jsdom) on globalThis before React
// Testing Library loads, and an unmount after each test.
import 'global-jsdom/register';
import { afterEach } from 'node:test';
import { cleanup } from '@testing-library/react';

afterEach(() => cleanup());
