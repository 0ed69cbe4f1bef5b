package org.apitmoodle.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** The REST server's XML answers (moodlewsrestformat missing or not "json"), in Moodle's own layout. */
final class XmlResponse {

    private static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n";

    private XmlResponse() {
    }

    static String success(JsonNode result) {
        StringBuilder xml = new StringBuilder(DECLARATION).append("<RESPONSE>\n");
        if (!result.isNull()) {
            render(result, xml);
        }
        return xml.append("</RESPONSE>\n").toString();
    }

    static String exception(MoodleException e) {
        return DECLARATION + "<EXCEPTION class=\"" + escape(e.exception()) + "\">\n"
                + "<ERRORCODE>" + escape(e.errorcode()) + "</ERRORCODE>\n"
                + "<MESSAGE>" + escape(e.getMessage()) + "</MESSAGE>\n"
                + "</EXCEPTION>\n";
    }

    private static void render(JsonNode node, StringBuilder xml) {
        if (node.isObject()) {
            xml.append("<SINGLE>\n");
            for (Map.Entry<String, JsonNode> field : (Iterable<Map.Entry<String, JsonNode>>) node::fields) {
                xml.append("<KEY name=\"").append(escape(field.getKey())).append("\">");
                render(field.getValue(), xml);
                xml.append("</KEY>\n");
            }
            xml.append("</SINGLE>\n");
        } else if (node.isArray()) {
            xml.append("<MULTIPLE>\n");
            node.forEach(element -> render(element, xml));
            xml.append("</MULTIPLE>\n");
        } else if (node.isNull()) {
            xml.append("<VALUE null=\"null\"/>\n");
        } else if (node.isBoolean()) {
            xml.append("<VALUE>").append(node.booleanValue() ? "1" : "0").append("</VALUE>\n");
        } else {
            xml.append("<VALUE>").append(escape(node.asText())).append("</VALUE>\n");
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
