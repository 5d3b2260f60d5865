; Inno Setup script: the Windows installer of SVF-redovisning (per user, no administrator rights).
;
; Build the bundle first (installer/build.sh), then, from the repository root:
;   iscc /DAppVersion=0.1.0 installer\svf-redovisning.iss
; installer/build.sh does both when ISCC is on PATH, with the version from desktop_app/__init__.py.
; Output: installer\dist\svf-redovisning-<version>-setup.exe. Needs Inno Setup 6.3 or newer.
;
; Silent install for IT:  svf-redovisning-<version>-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /CURRENTUSER
; Silent uninstall:       "%LOCALAPPDATA%\Programs\SVF-redovisning\unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
; The user's database (%LOCALAPPDATA%\SVF-redovisning\) is never touched by install or uninstall.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z installer\svf-redovisning.iss (installer/build.sh does)
#endif
#if Ver < EncodeVer(6, 3, 0)
  #error Inno Setup 6.3 or newer is needed (x64compatible)
#endif

#define AppName "SVF-redovisning"
#define AppExe "svf-redovisning.exe"
#define BundleDir "dist\svf-redovisning"

[Setup]
; AppId identifies the program for upgrades and uninstall: never change it.
AppId={{F0351E43-D3AF-4434-894E-28B54BEE0529}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} installationsprogram
; Per user, no UAC prompt: {autopf} is then %LOCALAPPDATA%\Programs and {autoprograms} the
; user's start menu. /ALLUSERS (run as administrator) would install for all users instead.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline
DefaultDirName={autopf}\{#AppName}
DisableDirPage=auto
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 needs Windows 10 1809 or newer.
MinVersion=10.0.17763
SetupIconFile=..\resources\icons\svf-redovisning.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
OutputDir=dist
OutputBaseFilename=svf-redovisning-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Close a running SVF-redovisning (Restart Manager) before its files are replaced.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
; Swedish is not among Inno Setup's official translations; used when the unofficial
; Swedish.isl has been put into the compiler's Languages folder.
#if FileExists(AddBackslash(CompilerPath) + "Languages\Swedish.isl")
Name: "swedish"; MessagesFile: "compiler:Languages\Swedish.isl"
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole bundle: files of the previous version must not linger.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
