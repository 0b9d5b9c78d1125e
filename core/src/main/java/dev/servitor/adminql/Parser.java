// SPDX-License-Identifier: Apache-2.0
package dev.servitor.adminql;

import dev.servitor.adminql.Statement.AlterServiceAccount;
import dev.servitor.adminql.Token.Kind;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * An LL(1) recursive-descent parser of docs/sql.md: one token of look-ahead, no backtracking,
 * so time is linear in the text. The whole script is parsed before anything runs; the first
 * error is a {@link ServiceException} with code {@code syntax_error} naming line, column, what
 * was expected and what was found. Keywords are not reserved except where a name could be
 * mistaken for one ({@code IF} right before a name): quote such a name. Bare names keep their
 * case (names are case-sensitive, as in REST). The options after WITH or SET come in any order,
 * each at most once, optionally separated by commas; at least one must follow.
 */
public final class Parser {
    /** The longest script, in characters: the HTTP body limit (1 MiB). */
    public static final int MAX_CHARS = 1024 * 1024;
    /** Statements per script unless the caller says otherwise (SERVITOR_SQL_MAX_STATEMENTS). */
    public static final int MAX_STATEMENTS = 1000;
    /** The most items of one parenthesised list (groups, IP lists). */
    public static final int MAX_LIST_ITEMS = 1000;
    /** Digits of a whole number: anything longer cannot be a TTL. */
    private static final int MAX_DIGITS = 18;

    private final String src;
    private final int maxStatements;
    private final Lexer lexer;
    private Token tok;
    private Token prev;

    private Parser(String src, int maxStatements) {
        this.src = src;
        this.maxStatements = maxStatements;
        this.lexer = new Lexer(src);
    }

    /** Parses every statement of {@code script}, or throws the first syntax error. */
    public static List<ParsedStatement> parse(String script) {
        return parse(script, MAX_STATEMENTS);
    }

    /**
     * Parses every statement of {@code script}, or throws the first syntax error, or 413
     * {@code too_many_statements} as soon as statement {@code maxStatements + 1} begins.
     */
    public static List<ParsedStatement> parse(String script, int maxStatements) {
        if (script == null) throw SyntaxError.at(1, 1, "expected a statement, found nothing");
        if (script.length() > MAX_CHARS) {
            throw SyntaxError.at(1, 1, "the script is longer than " + MAX_CHARS + " characters");
        }
        return new Parser(script, maxStatements).script();
    }

    private List<ParsedStatement> script() {
        advance();
        List<ParsedStatement> out = new ArrayList<>();
        while (true) {
            while (tok.kind() == Kind.SEMICOLON) advance(); // empty statements are ignored
            if (tok.kind() == Kind.EOF) break;
            if (out.size() == maxStatements) {
                throw new ServiceException(ErrorCode.TOO_MANY_STATEMENTS, "line " + tok.line() + ", column " + tok.column()
                    + ": more than " + maxStatements + " statements in one script; nothing was run");
            }
            Token first = tok;
            Statement s = statement();
            out.add(new ParsedStatement(out.size(), src.substring(first.start(), prev.end()), first.line(), first.column(), s));
            if (tok.kind() != Kind.EOF) expect(Kind.SEMICOLON, "';' at the end of " + s.kind());
        }
        if (out.isEmpty()) throw SyntaxError.at(tok, "expected a statement, found " + tok.describe());
        return out;
    }

    private Statement statement() {
        if (accept("CREATE")) return create();
        if (accept("ALTER")) return alter();
        if (accept("DROP")) return drop();
        if (accept("SHOW")) return show();
        if (accept("CALL")) return call();
        if (accept("REVOKE")) return revoke();
        throw expected("a statement (CREATE, ALTER, DROP, SHOW, CALL or REVOKE)", null);
    }

    // CREATE ------------------------------------------------------------------------------

    private Statement create() {
        if (accept("SERVICE")) {
            keyword("ACCOUNT", "SERVICE");
            return createServiceAccount();
        }
        if (accept("API")) {
            keyword("KEY", "API");
            return createApiKey();
        }
        if (accept("NETWORK")) {
            keyword("POLICY", "NETWORK");
            return createNetworkPolicy();
        }
        if (accept("USER")) return createUser();
        if (accept("FEDERATION")) {
            keyword("ISSUER", "FEDERATION");
            return createFederationIssuer();
        }
        throw expected("SERVICE ACCOUNT, API KEY, NETWORK POLICY, USER or FEDERATION ISSUER", "CREATE");
    }

    private Statement createFederationIssuer() {
        boolean ifNotExists = ifNotExists();
        String name = name("a federation issuer name");
        keyword("WITH", "the federation issuer name");
        String issuerUrl = null;
        String jwksUri = null;
        String jwks = null;
        Long maxAge = null;
        Boolean requireJti = null;
        Options o = new Options("WITH", "ISSUER_URL", "JWKS_URI", "JWKS", "MAX_TOKEN_AGE", "REQUIRE_JTI");
        while (o.next()) {
            switch (o.current()) {
                case "ISSUER_URL" -> issuerUrl = string("ISSUER_URL");
                case "JWKS_URI" -> jwksUri = string("JWKS_URI");
                case "JWKS" -> jwks = string("JWKS");
                case "MAX_TOKEN_AGE" -> maxAge = wholeNumber("MAX_TOKEN_AGE");
                default -> requireJti = bool("REQUIRE_JTI");
            }
        }
        return new Statement.CreateFederationIssuer(name, ifNotExists, issuerUrl, jwksUri, jwks, maxAge, requireJti);
    }

    private Statement createServiceAccount() {
        boolean ifNotExists = ifNotExists();
        String name = name("a service account name");
        String description = null;
        String policy = null;
        Boolean orgAdmin = null;
        String role = null;
        List<String> groups = null;
        if (accept("WITH")) {
            Options o = new Options("WITH", "DESCRIPTION", "NETWORK_POLICY", "IS_ORGANIZATION_ADMIN", "ROLE", "GROUPS");
            while (o.next()) {
                switch (o.current()) {
                    case "DESCRIPTION" -> description = string("DESCRIPTION");
                    case "NETWORK_POLICY" -> policy = name("a network policy name");
                    case "IS_ORGANIZATION_ADMIN" -> orgAdmin = bool("IS_ORGANIZATION_ADMIN");
                    case "ROLE" -> role = name("a role name");
                    default -> groups = nameList("GROUPS");
                }
            }
        }
        return new Statement.CreateServiceAccount(name, ifNotExists, description, policy, orgAdmin, role, groups);
    }

    private Statement createApiKey() {
        String keyName = name("a key name");
        keyword("FOR", "the key name");
        String account = serviceAccountRef();
        String description = null;
        Long ttl = null;
        String type = null;
        RestrictionOptions r = new RestrictionOptions(false);
        if (accept("WITH")) {
            Options o = new Options("WITH", "DESCRIPTION", "TTL", "TYPE", "PERMISSIONS", "ALLOWED_IPS", "RATE_LIMIT",
                "REMAINING_USES", "REFILL");
            while (o.next()) {
                switch (o.current()) {
                    case "DESCRIPTION" -> description = string("DESCRIPTION");
                    case "TTL" -> ttl = wholeNumber("TTL");
                    case "TYPE" -> type = name("read_write or read_scaling");
                    default -> r.read(o.current());
                }
            }
        }
        return new Statement.CreateApiKey(keyName, account, description, ttl, type, r.input());
    }

    /**
     * {@code ALTER API KEY key_id FOR SERVICE ACCOUNT name SET option = value [, ...]}: the
     * restriction options of CREATE API KEY, each also {@code = NULL} to remove it.
     */
    private Statement alterApiKey() {
        String keyId = nameOrString("a key id");
        keyword("FOR", "the key id");
        String account = serviceAccountRef();
        keyword("SET", "the service account name");
        RestrictionOptions r = new RestrictionOptions(true);
        Options o = new Options("SET", "PERMISSIONS", "ALLOWED_IPS", "RATE_LIMIT", "REMAINING_USES", "REFILL");
        while (o.next()) r.read(o.current());
        return new Statement.AlterApiKey(keyId, account, r.input());
    }

    /** The restriction options of a key statement (docs/sql.md), as {@link RestrictionsInput} members. */
    private final class RestrictionOptions {
        private final boolean nullClears;
        private final java.util.Set<String> present = new java.util.HashSet<>();
        private List<String> permissions;
        private List<String> allowedIps;
        private dev.servitor.apikey.RestrictionsInput.Rate rate;
        private Long remainingUses;
        private dev.servitor.apikey.RestrictionsInput.RefillInput refill;

        RestrictionOptions(boolean nullClears) {
            this.nullClears = nullClears;
        }

        void read(String option) {
            if (nullClears && accept("NULL")) {
                present.add(member(option));
                return;
            }
            switch (option) {
                case "PERMISSIONS" -> permissions = stringList(option);
                case "ALLOWED_IPS" -> allowedIps = stringList(option);
                case "RATE_LIMIT" -> {
                    Token t = tok;
                    String text = string(option);
                    rate = dev.servitor.apikey.RestrictionText.rate(text);
                    if (rate == null) throw SyntaxError.at(t, "expected a rate such as '100/60s' (s, m, h or d) after RATE_LIMIT =, found '" + text + "'");
                }
                case "REMAINING_USES" -> remainingUses = wholeNumber(option);
                default -> {
                    Token t = tok;
                    String text = string(option);
                    refill = dev.servitor.apikey.RestrictionText.refill(text);
                    if (refill == null) throw SyntaxError.at(t, "expected '<amount>/day' or '<amount>/month' after REFILL =, found '" + text + "'");
                }
            }
            present.add(member(option));
        }

        private String member(String option) {
            return option.equals("RATE_LIMIT") ? "rate_limit" : option.toLowerCase(java.util.Locale.ROOT);
        }

        /** Null when no option was given (creation: an unrestricted key). */
        dev.servitor.apikey.RestrictionsInput input() {
            if (present.isEmpty()) return null;
            return new dev.servitor.apikey.RestrictionsInput(permissions, allowedIps, rate, remainingUses, refill, java.util.Set.copyOf(present));
        }
    }

    private Statement createNetworkPolicy() {
        boolean ifNotExists = ifNotExists();
        String name = name("a network policy name");
        keyword("WITH", "the network policy name");
        PolicyOptions p = policyOptions("WITH");
        return new Statement.CreateNetworkPolicy(name, ifNotExists, p.allowed, p.blocked, p.description);
    }

    private Statement createUser() {
        boolean ifNotExists = ifNotExists();
        String name = name("a user name");
        String workspace = inWorkspace();
        String account = null;
        String login = null;
        String database = null;
        String engine = null;
        if (accept("WITH")) {
            Options o = new Options("WITH", "SERVICE_ACCOUNT", "LOGIN", "DEFAULT_DATABASE", "DEFAULT_ENGINE");
            while (o.next()) {
                switch (o.current()) {
                    case "SERVICE_ACCOUNT" -> account = name("a service account name");
                    case "LOGIN" -> login = string("LOGIN");
                    case "DEFAULT_DATABASE" -> database = name("a database name");
                    default -> engine = name("an engine name");
                }
            }
        }
        return new Statement.CreateUser(name, ifNotExists, workspace, account, login, database, engine);
    }

    // ALTER -------------------------------------------------------------------------------

    private Statement alter() {
        if (accept("SERVICE")) {
            keyword("ACCOUNT", "SERVICE");
            return alterServiceAccount();
        }
        if (accept("NETWORK")) {
            keyword("POLICY", "NETWORK");
            String name = name("a network policy name");
            keyword("SET", "the network policy name");
            PolicyOptions p = policyOptions("SET");
            return new Statement.AlterNetworkPolicy(name, p.allowed, p.blocked, p.description);
        }
        if (accept("API")) {
            keyword("KEY", "API");
            return alterApiKey();
        }
        if (accept("USER")) return alterUser();
        if (accept("ORGANIZATION")) return alterOrganization();
        throw expected("SERVICE ACCOUNT, API KEY, NETWORK POLICY, USER or ORGANIZATION", "ALTER");
    }

    private Statement alterServiceAccount() {
        boolean ifExists = ifExists();
        String name = name("a service account name");
        AlterServiceAccount.Action action;
        if (accept("SET")) {
            String description = null;
            Optional<String> policy = null;
            Boolean orgAdmin = null;
            String role = null;
            Options o = new Options("SET", "DESCRIPTION", "NETWORK_POLICY", "IS_ORGANIZATION_ADMIN", "ROLE");
            while (o.next()) {
                switch (o.current()) {
                    case "DESCRIPTION" -> description = string("DESCRIPTION");
                    case "NETWORK_POLICY" -> policy = accept("DEFAULT") ? Optional.empty()
                        : Optional.of(name("a network policy name or DEFAULT"));
                    case "IS_ORGANIZATION_ADMIN" -> orgAdmin = bool("IS_ORGANIZATION_ADMIN");
                    default -> role = name("a role name");
                }
            }
            action = new AlterServiceAccount.SetOptions(description, policy, orgAdmin, role);
        } else if (accept("RENAME")) {
            keyword("TO", "RENAME");
            action = new AlterServiceAccount.RenameTo(name("the new service account name"));
        } else if (accept("DISABLE")) {
            action = new AlterServiceAccount.SetDisabled(true);
        } else if (accept("ENABLE")) {
            action = new AlterServiceAccount.SetDisabled(false);
        } else if (accept("ADD")) {
            workloadIdentityKeywords("ADD");
            action = addWorkloadIdentity();
        } else if (accept("REMOVE")) {
            workloadIdentityKeywords("REMOVE");
            action = new AlterServiceAccount.RemoveWorkloadIdentity(name("a workload identity name"));
        } else {
            throw expected("SET, RENAME TO, DISABLE, ENABLE, ADD WORKLOAD IDENTITY or REMOVE WORKLOAD IDENTITY",
                "the service account name");
        }
        return new AlterServiceAccount(name, ifExists, action);
    }

    private void workloadIdentityKeywords(String after) {
        keyword("WORKLOAD", after);
        keyword("IDENTITY", after + " WORKLOAD");
    }

    /** What follows {@code ADD WORKLOAD IDENTITY}; required options are checked by the service, as for REST. */
    private AlterServiceAccount.Action addWorkloadIdentity() {
        String name = name("a workload identity name");
        keyword("WITH", "the workload identity name");
        String issuer = null;
        String audience = null;
        String subject = null;
        String prefix = null;
        String condition = null;
        Long lifetime = null;
        Options o = new Options("WITH", "ISSUER", "AUDIENCE", "SUBJECT", "SUBJECT_PREFIX", "CONDITION", "TOKEN_LIFETIME");
        while (o.next()) {
            switch (o.current()) {
                case "ISSUER" -> issuer = name("a federation issuer name");
                case "AUDIENCE" -> audience = string("AUDIENCE");
                case "SUBJECT" -> subject = string("SUBJECT");
                case "SUBJECT_PREFIX" -> prefix = string("SUBJECT_PREFIX");
                case "CONDITION" -> condition = string("CONDITION");
                default -> lifetime = wholeNumber("TOKEN_LIFETIME");
            }
        }
        return new AlterServiceAccount.AddWorkloadIdentity(name, issuer, audience, subject, prefix, condition, lifetime);
    }

    /** {@code ALTER ORGANIZATION SET CREDENTIAL_POLICY ( option = value [, ...] )}; NULL unsets a limit. */
    private Statement alterOrganization() {
        keyword("SET", "ALTER ORGANIZATION");
        keyword("CREDENTIAL_POLICY", "ALTER ORGANIZATION SET");
        expect(Kind.LPAREN, "'(' after CREDENTIAL_POLICY");
        List<String> names = List.of("MAX_KEY_LIFETIME_DAYS", "DORMANT_AFTER_DAYS", "ON_LEAK", "REQUIRE_NETWORK_POLICY");
        List<String> seen = new ArrayList<>();
        Integer maxDays = null;
        boolean clearMax = false;
        Integer dormantDays = null;
        boolean clearDormant = false;
        dev.servitor.policy.OnLeak onLeak = null;
        Boolean requirePolicy = null;
        do {
            Token t = tok;
            String option = names.stream().filter(t::is).findFirst()
                .orElseThrow(() -> expected(String.join(", ", names), seen.isEmpty() ? "CREDENTIAL_POLICY (" : "','"));
            if (seen.contains(option)) throw SyntaxError.at(t, option + " is given twice");
            seen.add(option);
            advance();
            equalsAfter(option);
            switch (option) {
                case "MAX_KEY_LIFETIME_DAYS" -> {
                    if (accept("NULL")) clearMax = true; else maxDays = days(option);
                }
                case "DORMANT_AFTER_DAYS" -> {
                    if (accept("NULL")) clearDormant = true; else dormantDays = days(option);
                }
                case "ON_LEAK" -> {
                    Token v = tok;
                    String value = string(option);
                    onLeak = dev.servitor.policy.OnLeak.fromWire(value)
                        .orElseThrow(() -> SyntaxError.at(v, "expected 'revoke' or 'notify' after ON_LEAK =, found '" + value + "'"));
                }
                default -> requirePolicy = bool(option);
            }
        } while (accept(Kind.COMMA));
        expect(Kind.RPAREN, "',' or ')' in CREDENTIAL_POLICY");
        return new Statement.AlterOrganization(new dev.servitor.policy.CredentialPolicy.Patch(maxDays, clearMax, dormantDays, clearDormant,
            onLeak, requirePolicy));
    }

    /** A number of days: range-checked by the service (422 naming the field), here only kept within an int. */
    private Integer days(String option) {
        Token t = tok;
        Long n = wholeNumber(option);
        if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) throw SyntaxError.at(t, "the number after " + option + " is too large");
        return n.intValue();
    }

    private Statement alterUser() {
        String name = name("a user name");
        String workspace = inWorkspace();
        keyword("SET", workspace == null ? "the user name" : "the workspace name");
        Statement.AlterUser.Setting setting;
        String value;
        if (accept("SERVICE_ACCOUNT")) {
            setting = Statement.AlterUser.Setting.SERVICE_ACCOUNT;
            equalsAfter("SERVICE_ACCOUNT");
            value = accept("DEFAULT") ? null : name("a service account name or DEFAULT");
        } else if (accept("DEFAULT_DATABASE")) {
            setting = Statement.AlterUser.Setting.DEFAULT_DATABASE;
            equalsAfter("DEFAULT_DATABASE");
            value = name("a database name");
        } else if (accept("DEFAULT_ENGINE")) {
            setting = Statement.AlterUser.Setting.DEFAULT_ENGINE;
            equalsAfter("DEFAULT_ENGINE");
            value = name("an engine name");
        } else {
            throw expected("SERVICE_ACCOUNT, DEFAULT_DATABASE or DEFAULT_ENGINE", "SET");
        }
        return new Statement.AlterUser(name, workspace, setting, value);
    }

    // DROP, SHOW, CALL, REVOKE ------------------------------------------------------------

    private Statement drop() {
        if (accept("SERVICE")) {
            keyword("ACCOUNT", "SERVICE");
            boolean ifExists = ifExists();
            return new Statement.DropServiceAccount(name("a service account name"), ifExists);
        }
        if (accept("NETWORK")) {
            keyword("POLICY", "NETWORK");
            boolean ifExists = ifExists();
            return new Statement.DropNetworkPolicy(name("a network policy name"), ifExists);
        }
        if (accept("USER")) {
            boolean ifExists = ifExists();
            String name = name("a user name");
            return new Statement.DropUser(name, ifExists, inWorkspace());
        }
        if (accept("FEDERATION")) {
            keyword("ISSUER", "FEDERATION");
            boolean ifExists = ifExists();
            return new Statement.DropFederationIssuer(name("a federation issuer name"), ifExists);
        }
        throw expected("SERVICE ACCOUNT, NETWORK POLICY, USER or FEDERATION ISSUER", "DROP");
    }

    private Statement show() {
        if (accept("SERVICE")) {
            keyword("ACCOUNTS", "SHOW SERVICE");
            return new Statement.ShowServiceAccounts();
        }
        if (accept("API")) {
            keyword("KEYS", "SHOW API");
            keyword("FOR", "SHOW API KEYS");
            return new Statement.ShowApiKeys(serviceAccountRef());
        }
        if (accept("NETWORK")) {
            keyword("POLICIES", "SHOW NETWORK");
            return new Statement.ShowNetworkPolicies();
        }
        if (accept("USERS")) return new Statement.ShowUsers(inWorkspace());
        if (accept("ORGANIZATION")) return new Statement.ShowOrganization();
        if (accept("WEBHOOKS")) return new Statement.ShowWebhooks();
        if (accept("FEDERATION")) {
            keyword("ISSUERS", "SHOW FEDERATION");
            return new Statement.ShowFederationIssuers();
        }
        if (accept("WORKLOAD")) {
            keyword("IDENTITIES", "SHOW WORKLOAD");
            keyword("FOR", "SHOW WORKLOAD IDENTITIES");
            return new Statement.ShowWorkloadIdentities(serviceAccountRef());
        }
        // the list is long: "after SHOW" is left out, the position says where
        throw expected("SERVICE ACCOUNTS, API KEYS, NETWORK POLICIES, USERS, ORGANIZATION, WEBHOOKS, FEDERATION ISSUERS "
            + "or WORKLOAD IDENTITIES", null);
    }

    private Statement call() {
        Token proc = tok;
        if (!proc.is("GENERATE_SERVICE_ACCOUNT_KEY") && !proc.is("fb_GENERATESERVICEACCOUNTKEY")) {
            throw expected("GENERATE_SERVICE_ACCOUNT_KEY or fb_GENERATESERVICEACCOUNTKEY", "CALL");
        }
        advance();
        expect(Kind.LPAREN, "'(' after " + proc.text());
        String account = nameOrString("a service account name");
        expect(Kind.RPAREN, "')' after the service account name");
        return new Statement.GenerateServiceAccountKey(proc.text(), account);
    }

    private Statement revoke() {
        keyword("API", "REVOKE");
        keyword("KEY", "REVOKE API");
        String keyId = nameOrString("a key id");
        keyword("FOR", "the key id");
        return new Statement.RevokeApiKey(keyId, serviceAccountRef());
    }

    // pieces ------------------------------------------------------------------------------

    /** {@code SERVICE ACCOUNT name}, after FOR. */
    private String serviceAccountRef() {
        keyword("SERVICE", "FOR");
        keyword("ACCOUNT", "SERVICE");
        return name("a service account name");
    }

    private boolean ifNotExists() {
        if (!accept("IF")) return false;
        keyword("NOT", "IF");
        keyword("EXISTS", "IF NOT");
        return true;
    }

    private boolean ifExists() {
        if (!accept("IF")) return false;
        keyword("EXISTS", "IF");
        return true;
    }

    /** {@code [IN WORKSPACE ws]}, null when absent. */
    private String inWorkspace() {
        if (!accept("IN")) return null;
        keyword("WORKSPACE", "IN");
        return name("a workspace name");
    }

    private record PolicyOptions(List<String> allowed, List<String> blocked, String description) {}

    private PolicyOptions policyOptions(String after) {
        List<String> allowed = null;
        List<String> blocked = null;
        String description = null;
        Options o = new Options(after, "ALLOWED_IP_LIST", "BLOCKED_IP_LIST", "DESCRIPTION");
        while (o.next()) {
            switch (o.current()) {
                case "ALLOWED_IP_LIST" -> allowed = stringList("ALLOWED_IP_LIST");
                case "BLOCKED_IP_LIST" -> blocked = stringList("BLOCKED_IP_LIST");
                default -> description = string("DESCRIPTION");
            }
        }
        return new PolicyOptions(allowed, blocked, description);
    }

    /**
     * The options after WITH or SET: at least one, each at most once, in any order, optionally
     * separated by commas. {@link #next} consumes the option's name and its {@code =}.
     */
    private final class Options {
        private final String after;
        private final List<String> names;
        private final List<String> seen = new ArrayList<>();
        private String current;

        Options(String after, String... names) {
            this.after = after;
            this.names = List.of(names);
        }

        boolean next() {
            if (current != null && !accept(Kind.COMMA) && !startsOption()) {
                if (tok.kind() == Kind.SEMICOLON || tok.kind() == Kind.EOF) return false;
                // options always end a statement, so anything else is a misspelt option or a missing ';'
                throw expected(String.join(", ", names) + " or ';'", "the value of " + current);
            }
            Token t = tok;
            String name = names.stream().filter(t::is).findFirst().orElse(null);
            if (name == null) {
                throw expected(String.join(", ", names), current == null ? after : "the value of " + current);
            }
            if (seen.contains(name)) throw SyntaxError.at(t, name + " is given twice");
            seen.add(name);
            advance();
            equalsAfter(name);
            current = name;
            return true;
        }

        String current() {
            return current;
        }

        private boolean startsOption() {
            return names.stream().anyMatch(tok::is);
        }
    }

    private void equalsAfter(String option) {
        expect(Kind.EQUALS, "'=' after " + option);
    }

    /** A bare or double-quoted identifier. */
    private String name(String what) {
        if (tok.kind() == Kind.IDENT || tok.kind() == Kind.QUOTED_IDENT) return take().text();
        throw SyntaxError.at(tok, "expected " + what + ", found " + tok.describe());
    }

    private String nameOrString(String what) {
        if (tok.kind() == Kind.STRING) return take().text();
        return name(what);
    }

    private String string(String option) {
        if (tok.kind() == Kind.STRING) return take().text();
        throw SyntaxError.at(tok, "expected a string in single quotes after " + option + " =, found " + tok.describe());
    }

    private Boolean bool(String option) {
        if (accept("TRUE")) return Boolean.TRUE;
        if (accept("FALSE")) return Boolean.FALSE;
        throw SyntaxError.at(tok, "expected TRUE or FALSE after " + option + " =, found " + tok.describe());
    }

    private Long wholeNumber(String option) {
        Token t = tok;
        if (t.kind() != Kind.NUMBER || t.text().contains(".")) {
            throw SyntaxError.at(t, "expected a whole number after " + option + " =, found " + t.describe());
        }
        String digits = t.text().startsWith("-") ? t.text().substring(1) : t.text();
        if (digits.length() > MAX_DIGITS) throw SyntaxError.at(t, "the number after " + option + " is too large");
        advance();
        return Long.parseLong(t.text());
    }

    private List<String> nameList(String option) {
        return list(option, () -> name("a name"));
    }

    private List<String> stringList(String option) {
        return list(option, () -> string(option));
    }

    /** {@code ( item [, item]... )} or {@code ()}. */
    private List<String> list(String option, Supplier<String> item) {
        expect(Kind.LPAREN, "'(' after " + option + " =");
        List<String> out = new ArrayList<>();
        if (accept(Kind.RPAREN)) return out;
        do {
            if (out.size() == MAX_LIST_ITEMS) throw SyntaxError.at(tok, "more than " + MAX_LIST_ITEMS + " items in " + option);
            out.add(item.get());
        } while (accept(Kind.COMMA));
        expect(Kind.RPAREN, "',' or ')' in " + option);
        return out;
    }

    private void keyword(String word, String after) {
        if (!accept(word)) throw expected(word, after);
    }

    private boolean accept(String word) {
        if (!tok.is(word)) return false;
        advance();
        return true;
    }

    private boolean accept(Kind kind) {
        if (tok.kind() != kind) return false;
        advance();
        return true;
    }

    private void expect(Kind kind, String what) {
        if (!accept(kind)) throw SyntaxError.at(tok, "expected " + what + ", found " + tok.describe());
    }

    private ServiceException expected(String what, String after) {
        return SyntaxError.at(tok, "expected " + what + (after == null ? "" : " after " + after) + ", found " + tok.describe());
    }

    private Token take() {
        Token t = tok;
        advance();
        return t;
    }

    private void advance() {
        prev = tok;
        tok = lexer.next();
    }
}
