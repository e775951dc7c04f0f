/**
 * Web accounts and sessions: signing in (sign-in-service.ts), accounts and their one-time links
 * (account-links-service.ts), and the reset of a lost second factor (second-factor-reset-service.ts),
 * over what they share (account-core.ts). See README.md in this folder.
 */
import { type AccountDeps, createAccountCore } from './account-core.ts';
import { createAccountLinkService } from './account-links-service.ts';
import { createSecondFactorResetService } from './second-factor-reset-service.ts';
import { createSignInService } from './sign-in-service.ts';

export { actorFor } from './account-core.ts';
export * from './account-types.ts';

export type AccountService = ReturnType<typeof createAccountService>;

export function createAccountService(deps: AccountDeps) {
  const core = createAccountCore(deps);
  return {
    userOf: async (accountId: string) => (await core.userOf(accountId))?.user,
    ...createSignInService(core),
    ...createAccountLinkService(core),
    ...createSecondFactorResetService(core),
  };
}
