// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store;

import dev.servitor.org.OrgStore;
import dev.servitor.org.Organization;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

final class JdbiOrgStore implements OrgStore {
    private static final String ORG_ANY = "SELECT COUNT(*) FROM organizations";
    private static final String ORG_INSERT = """
        INSERT INTO organizations (id, name, created_at) VALUES (:id, :name, :createdAt)""";
    private static final String ORG_FIND_BY_ID = "SELECT id, name, created_at FROM organizations WHERE id = :id";
    private static final String ORG_FIND_BY_NAME = "SELECT id, name, created_at FROM organizations WHERE name = :name";
    // The UPDATE takes the row lock on PostgreSQL (and the write lock on SQLite) for the rest of the transaction.
    private static final String ORG_ADVANCE_AUDIT = "UPDATE organizations SET audit_seq = audit_seq + 1 WHERE id = :id";
    private static final String ORG_READ_AUDIT = "SELECT audit_seq, audit_head FROM organizations WHERE id = :id";
    private static final String ORG_SET_AUDIT_HEAD = "UPDATE organizations SET audit_head = :hash WHERE id = :id";

    private static final RowMapper<Organization> MAPPER = (rs, ctx) ->
        new Organization(rs.getString("id"), rs.getString("name"), Rows.instant(rs, "created_at"));

    private final Handle h;

    JdbiOrgStore(Handle h) {
        this.h = h;
    }

    @Override
    public boolean any() {
        return h.createQuery(ORG_ANY).mapTo(Long.class).one() > 0;
    }

    @Override
    public void insert(Organization org) {
        h.createUpdate(ORG_INSERT).bind("id", org.id()).bind("name", org.name())
            .bind("createdAt", Rows.millis(org.createdAt())).execute();
    }

    @Override
    public Optional<Organization> findById(String id) {
        return h.createQuery(ORG_FIND_BY_ID).bind("id", id).map(MAPPER).findOne();
    }

    @Override
    public Optional<Organization> findByName(String name) {
        return h.createQuery(ORG_FIND_BY_NAME).bind("name", name).map(MAPPER).findOne();
    }

    @Override
    public AuditHead advanceAuditHead(String orgId) {
        h.createUpdate(ORG_ADVANCE_AUDIT).bind("id", orgId).execute();
        return h.createQuery(ORG_READ_AUDIT).bind("id", orgId)
            .map((rs, ctx) -> new AuditHead(rs.getLong("audit_seq"), rs.getString("audit_head"))).one();
    }

    @Override
    public void setAuditHead(String orgId, String hash) {
        h.createUpdate(ORG_SET_AUDIT_HEAD).bind("id", orgId).bind("hash", hash).execute();
    }

    @Override
    public String auditHead(String orgId) {
        return h.createQuery(ORG_READ_AUDIT).bind("id", orgId).map((rs, ctx) -> rs.getString("audit_head")).one();
    }
}
