/** placeholder */
export const RealStandaloneMattermost = {
  start(_root: string): Promise<never> {
    throw new Error('not yet');
  },
};
