package org.apitmoodle.ops;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedCamelContextMBean;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.support.CamelContextHelper;
import org.apache.camel.util.json.JsonObject;

/**
 * /observe/info without the operating-system user, the working directory and Camel's home folder, which Camel's own
 * answer names to anyone who reaches the management port (it has no sign-in). Camel's answer cannot be told to leave
 * them out, so this one is answered first, with the rest of what Camel's says: the operating system, Java, and
 * Camel's name, version, state, uptime and exchanges.
 */
final class ObserveInfo implements StartupListener {

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // The management server is set up once the context has started: see below.
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        ManagementHttpServer server = context.hasService(ManagementHttpServer.class);
        if (server == null || !server.isInfoEnabled() || server.getRouter() == null) {
            return;
        }
        // Order -1: before Camel's own handler of the same path, which then never answers.
        server.getRouter().route(server.getInfoPath()).order(-1).method(HttpMethod.GET)
                .handler(request -> answer(request, context));
    }

    private static void answer(RoutingContext request, CamelContext context) {
        request.response().putHeader("content-type", "application/json").end(info(context).toJson());
    }

    static JsonObject info(CamelContext context) {
        JsonObject os = new JsonObject();
        os.put("name", System.getProperty("os.name"));
        os.put("version", System.getProperty("os.version"));
        os.put("arch", System.getProperty("os.arch"));
        JsonObject java = new JsonObject();
        java.put("pid", ProcessHandle.current().pid());
        java.put("vendor", System.getProperty("java.vm.vendor"));
        java.put("name", System.getProperty("java.vm.name"));
        java.put("vmVersion", System.getProperty("java.vm.version"));
        java.put("version", System.getProperty("java.version"));
        JsonObject camel = new JsonObject();
        camel.put("name", context.getName());
        camel.put("version", context.getVersion());
        String profile = context.getCamelContextExtension().getProfile();
        if (profile != null) {
            camel.put("profile", profile);
        }
        camel.put("status", context.isStarted() ? "Running" : context.getStatus().name());
        camel.put("age", CamelContextHelper.getUptime(context));
        ManagedCamelContext managed = context.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class);
        ManagedCamelContextMBean mbean = managed == null ? null : managed.getManagedCamelContext();
        if (mbean != null) {
            camel.put("exchangesTotal", mbean.getExchangesTotal());
            camel.put("exchangesFailed", mbean.getExchangesFailed());
            camel.put("exchangesInflight", mbean.getExchangesInflight());
        }
        JsonObject info = new JsonObject();
        info.put("os", os);
        info.put("java", java);
        info.put("camel", camel);
        return info;
    }
}
