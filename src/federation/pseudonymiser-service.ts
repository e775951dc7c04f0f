/**
 * The pseudonymisation service (docs/federation.md): evaluates a region's blinded element with the
 * key of every active version and seals the results to the hub. It keeps nothing of a request.
 */
import { base64url } from 'jose';
import type { Clock } from '../shared/clock.ts';
import { sealEvaluations } from './evaluation-token.ts';
import { evaluateBlinded, type OprfKey, ProtocolError } from './pseudonym-protocol.ts';

export type PseudonymiserKeys = {
  /** The active OPRF keys: an evaluation is made with each. */
  oprfKeys: OprfKey[];
  /** The hub's public token key. */
  hubTokenKey: { kid: string; key: CryptoKey | Uint8Array };
};

export class EvaluationRefused extends Error {
  override name = 'EvaluationRefused';
}

const NONCE = /^[A-Za-z0-9_-]{22}$/;

export type PseudonymiserService = ReturnType<typeof createPseudonymiserService>;

export function createPseudonymiserService(deps: { clock: Clock; keys: PseudonymiserKeys }) {
  return {
    async evaluate(region: string, request: { blinded: string; nonce: string }): Promise<{ token: string }> {
      if (!NONCE.test(request.nonce)) throw new EvaluationRefused('the nonce is malformed');
      let blinded: Uint8Array;
      try {
        blinded = base64url.decode(request.blinded);
      } catch {
        throw new EvaluationRefused('the blinded element is malformed');
      }
      try {
        const evaluations = deps.keys.oprfKeys.map((key) => ({ version: key.version, evaluated: evaluateBlinded(key, blinded) }));
        return { token: await sealEvaluations(deps.keys.hubTokenKey, { region, nonce: request.nonce, evaluations }, deps.clock.now()) };
      } catch (error) {
        if (error instanceof ProtocolError) throw new EvaluationRefused('the blinded element is not a valid group element');
        throw error;
      }
    },
  };
}
