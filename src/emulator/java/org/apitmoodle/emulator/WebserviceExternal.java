package org.apitmoodle.emulator;

import static org.apitmoodle.emulator.ExternalDescription.multipleWithDefault;
import static org.apitmoodle.emulator.ExternalDescription.single;
import static org.apitmoodle.emulator.ExternalDescription.value;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** webservice/externallib.php: core_webservice_get_site_info. */
final class WebserviceExternal {

    static final String RELEASE = "4.1.10 (Build: 20240422)";
    static final String VERSION = "2022112810";

    /** Advanced features as a default 4.1 site reports them. */
    private static final List<Map.Entry<String, Integer>> ADVANCED_FEATURES = List.of(
            Map.entry("usecomments", 1), Map.entry("usetags", 1), Map.entry("enablenotes", 1),
            Map.entry("messaging", 1), Map.entry("enableblogs", 1), Map.entry("enablecompletion", 1),
            Map.entry("enablebadges", 1), Map.entry("messagingallusers", 0), Map.entry("enablecustomreports", 1),
            Map.entry("mnet_dispatcher_mode", 0));

    private WebserviceExternal() {
    }

    static final ExternalFunction GET_SITE_INFO = new ExternalFunction("core_webservice_get_site_info", VERSION,
            single("serviceshortnames", multipleWithDefault(value(Param.ALPHANUMEXT), List.of())),
            WebserviceExternal::getSiteInfo);

    private static JsonNode getSiteInfo(WsCall call) {
        User user = call.user();
        ObjectNode info = Json.object()
                .put("sitename", "Rig")
                .put("username", user.username())
                .put("firstname", user.firstname())
                .put("lastname", user.lastname())
                .put("fullname", user.fullname())
                .put("lang", "en")
                .put("userid", user.id())
                .put("siteurl", call.siteUrl())
                .put("userpictureurl", call.siteUrl() + "/theme/image.php/boost/core/1/u/f1");
        ArrayNode functions = Json.array();
        for (ExternalFunction function : MoodleService.offered(call.site())) {
            functions.add(Json.object().put("name", function.name()).put("version", function.version()));
        }
        info.set("functions", functions);
        info.put("downloadfiles", 0)
                .put("uploadfiles", 0)
                .put("release", RELEASE)
                .put("version", VERSION)
                .put("mobilecssurl", "");
        ArrayNode features = Json.array();
        ADVANCED_FEATURES.forEach(f -> features.add(Json.object().put("name", f.getKey()).put("value", f.getValue())));
        info.set("advancedfeatures", features);
        info.put("usercanmanageownfiles", true)
                .put("userquota", 104857600)
                .put("usermaxuploadfilesize", 67108864)
                .put("userhomepage", 1)
                .put("userprivateaccesskey", Long.toHexString(user.id() * 0x9E3779B97F4A7C15L))
                .put("siteid", MoodleSite.SITEID)
                .put("sitecalendartype", "gregorian")
                .put("usercalendartype", "gregorian")
                .put("userissiteadmin", false)
                .put("theme", "boost")
                .put("limitconcurrentlogins", 0);
        return info;
    }
}
