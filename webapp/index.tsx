// Entry point of the bundle: hands the plugin to the Mattermost webapp.
import { PLUGIN_ID } from './manifest.js';
import { Plugin } from './plugin.js';

window.registerPlugin(PLUGIN_ID, new Plugin());
