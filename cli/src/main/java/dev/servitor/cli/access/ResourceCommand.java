// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.access;

import dev.servitor.cli.ApiCommand;
import dev.servitor.cli.Printer;
import dev.servitor.sdk.ServitorClient;
import java.util.List;
import java.util.Map;

/** What the verbs on users, groups, roles and policies share: which resource, and how to show one or many. */
abstract class ResourceCommand extends ApiCommand {
    private final Resource resource;

    ResourceCommand(Resource resource) {
        this.resource = resource;
    }

    Resource resource() { return resource; }

    String itemPath(String name) { return resource.path + "/" + ServitorClient.seg(name); }

    /** Shows one object: in a table, the resource's main columns; -o json and -o yaml show every field. */
    void show(Printer out, Map<String, Object> o) {
        out.object(o, resource.columns);
    }

    void showAll(Printer out, List<Map<String, Object>> items) {
        out.list(items, resource.columns);
    }
}
