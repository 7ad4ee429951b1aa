package org.duplex.detector;

import java.io.IOException;
import javax.naming.NamingException;
import org.duplex.reservation.api.PrimaryBinding;

/** This node's {@code reservation/primary} binding, read through JNDI and rebound through the management API. */
interface PrimaryBindings extends AutoCloseable {

    /** The value remote clients see now. */
    String read() throws NamingException;

    /** Rebinds it; throws when the management controller refuses or does not take it in time (next round tries again). */
    void rebind(PrimaryBinding binding) throws IOException;

    @Override
    void close();
}
