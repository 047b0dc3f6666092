/**
 * The workers behind the gateway (the six domains, and `events`, which routes Queue messages to
 * consumers and takes integrators' events in). Each owns `/api/<name>/*`, a service binding named
 * after it in upper case, and a PostgreSQL schema of the same name.
 */
export const DOMAIN_SERVICES = ["auth", "users", "courses", "payments", "progress", "notifications", "events"] as const;

export type DomainService = (typeof DOMAIN_SERVICES)[number];

export function isDomainService(name: string): name is DomainService {
  return (DOMAIN_SERVICES as readonly string[]).includes(name);
}

export type ServiceBindingName = Uppercase<DomainService>;

export function bindingNameOf(service: DomainService): ServiceBindingName {
  return service.toUpperCase() as ServiceBindingName;
}
