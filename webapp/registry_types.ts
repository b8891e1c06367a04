// The part of the Mattermost webapp's plugin registry this plugin uses
// (webapp/channels/src/plugins/registry.ts). Methods newer than the oldest
// supported server are optional and checked before use.
import type { ComponentType, ReactNode } from 'react';
import type { AnyAction, Reducer, Store } from 'redux';

export interface RhsRegistration {
  id: string;
  showRHSPlugin: AnyAction;
  hideRHSPlugin: AnyAction;
  toggleRHSPlugin: AnyAction;
}

export interface UserSettingsRegistration {
  id: string;
  uiName: string;
  icon?: string;
  sections: Array<{ title: string; component: ComponentType }>;
}

export interface PluginRegistry {
  registerReducer(reducer: Reducer): void;
  registerWebSocketEventHandler(event: string, handler: (message: unknown) => void): void;
  registerReconnectHandler?: (handler: () => void) => void;
  registerRightHandSidebarComponent(component: ComponentType, title: ReactNode): RhsRegistration;
  registerChannelHeaderButtonAction(icon: ReactNode, action: () => void, dropdownText: ReactNode, tooltipText: ReactNode): string;
  registerAppBarComponent?: (iconUrl: string, action: () => void, tooltipText: ReactNode) => unknown;
  registerUserSettings?: (settings: UserSettingsRegistration) => void;
}

export interface PluginClass {
  initialize(registry: PluginRegistry, store: Store): void | Promise<void>;
}

declare global {
  interface Window {
    registerPlugin(id: string, plugin: PluginClass): void;
  }
}
