// SPDX-License-Identifier: Apache-2.0
/**
 * The composition root of the core ({@link dev.servitor.Servitor}): it opens the store and wires
 * the application services that every interface (REST, SQL, CLI, console) goes through.
 *
 * <p>The packages of core form layers; each uses only the layers below it (ArchitectureTest keeps
 * it so). Bottom first:
 * <ol>
 *   <li>{@code crypto}, {@code config}: secret formats and hashes; the node's settings.</li>
 *   <li>{@code common}: errors, paging, ids, name and e-mail rules.</li>
 *   <li>{@code caller}: who is calling, the permissions it holds.</li>
 *   <li>{@code store}: transactions, table stores by type, change announcements.</li>
 *   <li>{@code authz}: every rule about who may do what.</li>
 *   <li>{@code directory}: the rows of organizations, service accounts and users.</li>
 *   <li>{@code audit}: the hash-chained audit log.</li>
 *   <li>the features: {@code access}, {@code network}, {@code apikey}, {@code compute},
 *       {@code workspace}, {@code oauthclient}, {@code token}, {@code account}, {@code user},
 *       {@code org} (they may use each other, without cycles).</li>
 *   <li>{@code authn}: credential checking, the hot path.</li>
 *   <li>{@code oauth}, {@code adminql}: the OAuth operations and the statement language.</li>
 *   <li>{@code store.jdbi}: the SQL of every table.</li>
 *   <li>this package, which wires them.</li>
 * </ol>
 */
package dev.servitor;
