/**
 * The public age test key of the sops repository (age/keys.txt in the shared vectors), inlined
 * so that tests of our own output run without ../shared. Never use it for real secrets.
 */
export const TEST_IDENTITY = 'AGE-SECRET-KEY-1NJT5YCS2LWU4V4QAJQ6R4JNU7LXPDX602DZ9NUFANVU5GDTGUWCQ5T59M6';
export const TEST_RECIPIENT = 'age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw';
/** The second public sops test key. */
export const TEST_IDENTITY_2 = 'AGE-SECRET-KEY-1T0Z66WSXS6RMNCPSL7P2E8N4Q7SUD8VMG9ND27S08JL7Y2XAU9EQECHDS7';
export const TEST_RECIPIENT_2 = 'age1tmaae3ld5vpevmsh5yacsauzx8jetg300mpvc4ugp5zr5l6ssq9sla97ep';
/** The identity of sops' age keysource unit test (age/mock_identity.txt in the vectors); opens none of our files. */
export const MOCK_IDENTITY = 'AGE-SECRET-KEY-1G0Q5K9TV4REQ3ZSQRMTMG8NSWQGYT0T7TZ33RAZEE0GZYVZN0APSU24RK7';
