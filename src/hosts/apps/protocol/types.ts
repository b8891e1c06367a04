/**
 * The Apps framework's wire types live in the driver package, where an App
 * developer gets them with the client; the Apps host reads them from here.
 */
export type * from '@oauth2-connect/driver';
