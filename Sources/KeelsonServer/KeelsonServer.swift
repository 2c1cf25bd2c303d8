/// The long-running Keelson: scheduler, webhook and alert receivers, metrics, health and API.
public enum KeelsonServer {}
