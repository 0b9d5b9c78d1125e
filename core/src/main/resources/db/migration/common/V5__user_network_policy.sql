-- SPDX-License-Identifier: Apache-2.0
-- Network policies attach to human users too (their keys and console sessions).
ALTER TABLE users ADD COLUMN network_policy TEXT;
