import base from './playwright.config';
export default {
  ...base,
  use: { ...base.use, baseURL: 'http://localhost:4199' },
  webServer: { ...base.webServer, command: 'npx vite preview --port 4199 --strictPort', url: 'http://localhost:4199' },
};
