// SPDX-License-Identifier: Apache-2.0
export { Verifier, MAX_NEGATIVE_CACHE_TTL_MS } from "./verifier.js";
export type { VerifierOptions, VerifyOptions } from "./verifier.js";
export { AccessTokenVerifier } from "./access-token.js";
export type { AccessTokenVerifierOptions, VerifiedToken } from "./access-token.js";
export { isWellFormedKey, keyChecksum, looksLikeJwt } from "./key-format.js";
export { ServitorError, ServitorApiError, ServitorUnavailableError, InvalidTokenError } from "./errors.js";
export type { InvalidTokenReason } from "./errors.js";
export type { Verification, VerificationCode, Principal, CredentialInfo, Federation } from "./verification.js";
export { servitorAuth, credentialFrom, verificationOf } from "./middleware.js";
export type { ServitorAuthOptions, VerifiedRequest } from "./middleware.js";
