// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store.jdbi;

import dev.servitor.apikey.ApiKey;
import dev.servitor.apikey.ApiKeyStore;
import dev.servitor.apikey.KeyRestrictions;
import dev.servitor.apikey.KeyType;
import dev.servitor.caller.OwnerKind;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Update;

final class JdbiApiKeyStore implements ApiKeyStore {
    private static final String KEY_COLUMNS = """
        id, org_id, owner_kind, owner_id, name, description, type, prefix, created_at, expires_at, revoked_at,
        last_used_at, last_used_ip, created_by, restrictions""";
    private static final String LIVE = """
        (revoked_at IS NULL OR revoked_at > :now) AND (expires_at IS NULL OR expires_at > :now)""";
    private static final String KEY_INSERT = """
        INSERT INTO api_keys (id, org_id, owner_kind, owner_id, name, description, type, prefix, secret_hash,
                              created_at, expires_at, created_by, restrictions)
        VALUES (:id, :orgId, :ownerKind, :ownerId, :name, :description, :type, :prefix, :hash,
                :createdAt, :expiresAt, :createdBy, :restrictions)""";
    /** A positional parameter: run through {@link Rows#plainQuery}, as it is on every key-cache miss. */
    private static final String KEY_FIND_BY_HASH = "SELECT " + KEY_COLUMNS + " FROM api_keys WHERE secret_hash = ?";
    private static final String KEY_FIND_BY_OWNER_AND_ID =
        "SELECT " + KEY_COLUMNS + " FROM api_keys WHERE owner_id = :ownerId AND id = :id";
    private static final String KEY_HASH_BY_OWNER_AND_ID = "SELECT secret_hash FROM api_keys WHERE owner_id = :ownerId AND id = :id";
    private static final String KEY_LIST_LIVE_BY_OWNER =
        "SELECT " + KEY_COLUMNS + " FROM api_keys WHERE owner_id = :ownerId AND " + LIVE + " ORDER BY created_at, id";
    private static final String KEY_COUNT_LIVE_BY_OWNER = "SELECT COUNT(*) FROM api_keys WHERE owner_id = :ownerId AND " + LIVE;
    private static final String KEY_HASHES_TO_REVOKE_BY_ID =
        "SELECT secret_hash FROM api_keys WHERE id = :id AND (revoked_at IS NULL OR revoked_at > :at)";
    private static final String KEY_HASHES_TO_REVOKE_BY_OWNER =
        "SELECT secret_hash FROM api_keys WHERE owner_id = :ownerId AND (revoked_at IS NULL OR revoked_at > :at)";
    private static final String KEY_REVOKE_BY_ID =
        "UPDATE api_keys SET revoked_at = :at WHERE id = :id AND (revoked_at IS NULL OR revoked_at > :at)";
    private static final String KEY_UPDATE =
        "UPDATE api_keys SET name = :name, description = :description, restrictions = :restrictions WHERE id = :id";
    private static final String KEY_HASH_BY_ID = "SELECT secret_hash FROM api_keys WHERE id = :id";
    private static final String KEY_RETIRE_BY_ID = "UPDATE api_keys SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL";
    private static final String KEY_REVOKE_BY_OWNER =
        "UPDATE api_keys SET revoked_at = :at WHERE owner_id = :ownerId AND (revoked_at IS NULL OR revoked_at > :at)";
    /**
     * Many keys' last use in one statement: {@code (?, ?, ?)} rows of id, time, address follow.
     * VALUES names its columns column1, column2, column3 on both engines.
     */
    private static final String KEY_RECORD_USE_HEAD = """
        UPDATE api_keys SET last_used_at = v.column2, last_used_ip = v.column3
        FROM (VALUES %s) AS v
        WHERE api_keys.id = v.column1 AND (api_keys.last_used_at IS NULL OR api_keys.last_used_at < v.column2)""";
    /** Rows per statement: one plan for a few hundred rows is several times cheaper than a statement per row. */
    static final int RECORD_USE_ROWS = 256;

    private static final RowMapper<ApiKey> MAPPER = (rs, ctx) -> new ApiKey(rs.getString("id"), rs.getString("org_id"),
        OwnerKind.fromWire(rs.getString("owner_kind")), rs.getString("owner_id"), rs.getString("name"),
        rs.getString("description"), KeyType.fromWire(rs.getString("type")), rs.getString("prefix"),
        Rows.instant(rs, "created_at"), Rows.instant(rs, "expires_at"), Rows.instant(rs, "revoked_at"),
        Rows.instant(rs, "last_used_at"), rs.getString("last_used_ip"), rs.getString("created_by"),
        KeyRestrictions.fromJson(rs.getString("restrictions")));

    private final Handle h;

    JdbiApiKeyStore(Handle h) {
        this.h = h;
    }

    @Override
    public void insert(ApiKey k, String secretHash) {
        h.createUpdate(KEY_INSERT).bind("id", k.id()).bind("orgId", k.orgId()).bind("ownerKind", k.ownerKind().wire())
            .bind("ownerId", k.ownerId()).bind("name", k.name()).bind("description", k.description())
            .bind("type", k.type().wire()).bind("prefix", k.prefix()).bind("hash", secretHash)
            .bind("createdAt", Rows.millis(k.createdAt())).bind("expiresAt", Rows.millis(k.expiresAt()))
            .bind("createdBy", k.createdBy()).bind("restrictions", k.restrictions().toJson()).execute();
    }

    @Override
    public Optional<String> update(ApiKey k) {
        h.createUpdate(KEY_UPDATE).bind("id", k.id()).bind("name", k.name()).bind("description", k.description())
            .bind("restrictions", k.restrictions().toJson()).execute();
        return h.createQuery(KEY_HASH_BY_ID).bind("id", k.id()).mapTo(String.class).findOne();
    }

    @Override
    public Optional<ApiKey> findByHash(String secretHash) {
        return Rows.plainQuery(h, KEY_FIND_BY_HASH, MAPPER, secretHash).stream().findFirst();
    }

    @Override
    public Optional<ApiKey> findById(String ownerId, String keyId) {
        return h.createQuery(KEY_FIND_BY_OWNER_AND_ID).bind("ownerId", ownerId).bind("id", keyId).map(MAPPER).findOne();
    }

    @Override
    public Optional<String> secretHash(String ownerId, String keyId) {
        return h.createQuery(KEY_HASH_BY_OWNER_AND_ID).bind("ownerId", ownerId).bind("id", keyId).mapTo(String.class).findOne();
    }

    @Override
    public List<ApiKey> listLive(String ownerId, Instant now) {
        return h.createQuery(KEY_LIST_LIVE_BY_OWNER).bind("ownerId", ownerId).bind("now", now.toEpochMilli())
            .map(MAPPER).list();
    }

    @Override
    public int countLive(String ownerId, Instant now) {
        return h.createQuery(KEY_COUNT_LIVE_BY_OWNER).bind("ownerId", ownerId).bind("now", now.toEpochMilli())
            .mapTo(Integer.class).one();
    }

    @Override
    public List<String> revoke(String keyId, Instant at) {
        List<String> hashes = h.createQuery(KEY_HASHES_TO_REVOKE_BY_ID).bind("id", keyId).bind("at", at.toEpochMilli())
            .mapTo(String.class).list();
        h.createUpdate(KEY_REVOKE_BY_ID).bind("id", keyId).bind("at", at.toEpochMilli()).execute();
        return hashes;
    }

    @Override
    public List<String> revokeAllOf(String ownerId, Instant at) {
        List<String> hashes = h.createQuery(KEY_HASHES_TO_REVOKE_BY_OWNER).bind("ownerId", ownerId)
            .bind("at", at.toEpochMilli()).mapTo(String.class).list();
        h.createUpdate(KEY_REVOKE_BY_OWNER).bind("ownerId", ownerId).bind("at", at.toEpochMilli()).execute();
        return hashes;
    }

    @Override
    public Optional<String> retire(String keyId, Instant at) {
        if (h.createUpdate(KEY_RETIRE_BY_ID).bind("id", keyId).bind("at", at.toEpochMilli()).execute() != 1) return Optional.empty();
        return h.createQuery(KEY_HASH_BY_ID).bind("id", keyId).mapTo(String.class).findOne();
    }

    @Override
    public void recordUse(Collection<LastUse> uses) {
        if (uses.isEmpty()) return;
        List<LastUse> all = List.copyOf(uses);
        for (int from = 0; from < all.size(); from += RECORD_USE_ROWS) {
            List<LastUse> chunk = all.subList(from, Math.min(all.size(), from + RECORD_USE_ROWS));
            Update update = h.createUpdate(KEY_RECORD_USE_HEAD.formatted(String.join(", ", Collections.nCopies(chunk.size(), "(?, ?, ?)"))));
            int i = 0;
            for (LastUse u : chunk) {
                update.bind(i++, u.keyId()).bind(i++, u.at().toEpochMilli()).bind(i++, u.ip());
            }
            update.execute();
        }
    }
}
