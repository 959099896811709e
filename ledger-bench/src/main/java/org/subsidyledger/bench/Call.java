package org.subsidyledger.bench;

/**
 * One HTTP request of the workload.
 *
 * @param kind          what it stands for in the mix (a label of the results)
 * @param method        GET or POST
 * @param path          path under the ledger's base URL
 * @param body          JSON body of a POST, null for a GET
 * @param authorization the Authorization header value (a bearer token, or Basic credentials)
 * @param onAccepted    run when the ledger accepts it (2xx), to feed later requests (a settlement needs a
 *                      redemption); may be null
 */
record Call(String kind, String method, String path, String body, String authorization, Runnable onAccepted) {
    boolean isCommand() {
        return method.equals("POST");
    }
}
