// Builds the webapp plugin bundle: webapp/index.tsx → webapp/dist/main.js.
// React, ReactDOM, Redux and ReactRedux come from the Mattermost webapp, which
// puts them on window for plugins; bundling our own copies would break hooks.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));

export default (_env = {}, argv = {}) => ({
  mode: argv.mode ?? 'production',
  entry: resolve(root, 'webapp/index.tsx'),
  output: {
    path: resolve(root, 'webapp/dist'),
    filename: 'main.js',
    clean: true,
  },
  resolve: {
    extensions: ['.tsx', '.ts', '.js'],
    // Sources import './x.js' (what Node's ESM resolution and tsx need); the files are .ts/.tsx.
    extensionAlias: { '.js': ['.ts', '.tsx', '.js'] },
    alias: { 'react/jsx-runtime$': resolve(root, 'webapp/jsx_runtime_shim.ts') },
  },
  module: {
    rules: [
      {
        test: /\.tsx?$/,
        loader: 'esbuild-loader',
        options: { target: 'es2020', tsconfig: resolve(root, 'webapp/tsconfig.json') },
      },
    ],
  },
  externals: {
    react: 'React',
    'react-dom': 'ReactDOM',
    redux: 'Redux',
    'react-redux': 'ReactRedux',
  },
  devtool: argv.mode === 'development' ? 'eval-source-map' : false,
  performance: { hints: false },
});
