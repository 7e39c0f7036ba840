// validate-npm-package-name ships no types; this is the part of its API the CLI uses.
declare module 'validate-npm-package-name' {
  function validate(name: string): { validForNewPackages: boolean; validForOldPackages: boolean; errors?: string[]; warnings?: string[] };
  export = validate;
}
