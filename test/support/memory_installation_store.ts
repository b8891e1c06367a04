/** An in-memory InstallationStore for tests (the SQL one is the service's). */
import type { Installation, InstallationStore, TeamCommand } from '../../src/hosts/standalone/ports.js';

export class MemoryInstallationStore implements InstallationStore {
  installation: Installation | undefined;
  readonly commands = new Map<string, TeamCommand>();

  async getInstallation() {
    return this.installation && { ...this.installation };
  }
  async saveInstallation(installation: Installation) {
    this.installation = { ...installation };
  }
  async deleteInstallation() {
    this.installation = undefined;
  }
  async listCommands() {
    return [...this.commands.values()].map((c) => ({ ...c }));
  }
  async commandForTeam(teamId: string) {
    const c = this.commands.get(teamId);
    return c && { ...c };
  }
  async saveCommand(command: TeamCommand) {
    this.commands.set(command.team_id, { ...command });
  }
  async deleteCommand(teamId: string) {
    this.commands.delete(teamId);
  }
}
