// SPDX-License-Identifier: Apache-2.0
package dev.servitor.caller;

public enum PrincipalType {
    SERVICE_ACCOUNT("service_account"), USER("user"), SYSTEM("system");

    private final String wire;

    PrincipalType(String wire) { this.wire = wire; }

    public String wire() { return wire; }
}
