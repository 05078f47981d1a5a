/**
 * The PROXY protocol (v1 text, v2 binary) in front of the client listeners: who the client is when
 * a load balancer stands between it and us. Base layer: the session kinds read the client's
 * address from {@link io.github.rtmpedge.edge.proxy.ClientAddress} and know nothing else of it.
 */
package io.github.rtmpedge.edge.proxy;
