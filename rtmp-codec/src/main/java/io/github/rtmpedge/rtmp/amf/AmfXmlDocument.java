package io.github.rtmpedge.rtmp.amf;

import java.util.Objects;

/**
 * AMF0 XML document (marker 0x0F, AMF0 spec 2.17): a long UTF-8 string. AMF3 XMLDocument (0x07)
 * and XML (0x0B) both decode to this type.
 */
public record AmfXmlDocument(String xml) {

    public AmfXmlDocument {
        Objects.requireNonNull(xml, "xml");
    }
}
