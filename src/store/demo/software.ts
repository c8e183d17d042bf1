import { dest } from './destinations.js';
import { program, type Program } from './program.js';
import { SIGNATURES as S } from './signatures.js';

/**
 * The ordinary software of the demo estate: Windows components and the applications a typical
 * office runs. Names, paths, command lines and publishers are the real ones; sizes and versions
 * are plausible, hashes are derived (see fake-ids.ts). Nothing here may match an RMM rule: the
 * tests check that no ordinary program carries an RMM vendor's company, product or signer.
 */
const WIN = 'Microsoft Corporation';
const WIN_PRODUCT = 'Microsoft® Windows® Operating System';
const SYS32 = 'C:\\Windows\\System32';

function windows(
  key: string,
  path: string,
  description: string,
  fileSize: number,
  commandLines?: readonly string[],
): Program {
  return program(key, {
    path,
    company: WIN,
    product: WIN_PRODUCT,
    version: '{os}',
    description,
    signature: S.microsoftWindows,
    fileSize,
    ...(commandLines ? { commandLines } : {}),
  });
}

const BROWSING = [
  dest('www.google.com', 8),
  dest('www.bing.com', 3),
  dest('login.microsoftonline.com', 5),
  dest('www.office.com', 3),
  dest('contoso.sharepoint.com', 6),
  dest('outlook.office.com', 3),
  dest('www.linkedin.com', 2),
  dest('learn.microsoft.com', 2),
  dest('github.com', 1),
  dest('stackoverflow.com', 1),
  dest('www.youtube.com', 2),
  dest('en.wikipedia.org', 2),
  dest('www.reuters.com', 1),
  dest('contoso.my.salesforce.com', 1),
  dest('www.dhl.de', 1),
  dest('fonts.gstatic.com', 3),
  dest('www.gstatic.com', 2),
  dest('cdn.jsdelivr.net', 1),
  dest('www.amazon.com', 1),
];

export const SOFTWARE = {
  // --- Windows: boot and session -----------------------------------------------------------
  ntoskrnl: windows('ntoskrnl', `${SYS32}\\ntoskrnl.exe`, 'NT Kernel & System', 12_105_048, ['System']),
  smss: windows('smss', `${SYS32}\\smss.exe`, 'Windows Session Manager', 179_216, [
    '\\SystemRoot\\System32\\smss.exe',
  ]),
  csrss: windows('csrss', `${SYS32}\\csrss.exe`, 'Client Server Runtime Process', 17_408, [
    '%SystemRoot%\\system32\\csrss.exe ObjectDirectory=\\Windows SharedSection=1024,20480,768 Windows=On SubSystemType=Windows ServerDll=basesrv,1 ServerDll=winsrv:UserServerDllInitialization,3 ServerDll=sxssrv,4 ProfileControl=Off MaxRequestThreads=16',
  ]),
  wininit: windows('wininit', `${SYS32}\\wininit.exe`, 'Windows Start-Up Application', 525_312, [
    'wininit.exe',
  ]),
  winlogon: windows('winlogon', `${SYS32}\\winlogon.exe`, 'Windows Logon Application', 931_840, [
    'winlogon.exe',
  ]),
  services: windows('services', `${SYS32}\\services.exe`, 'Services and Controller app', 734_704, [
    `${SYS32}\\services.exe`,
  ]),
  lsass: windows('lsass', `${SYS32}\\lsass.exe`, 'Local Security Authority Process', 85_896, [
    `${SYS32}\\lsass.exe`,
  ]),
  svchost: windows('svchost', `${SYS32}\\svchost.exe`, 'Host Process for Windows Services', 57_360, [
    `${SYS32}\\svchost.exe -k netsvcs -p -s Schedule`,
    `${SYS32}\\svchost.exe -k netsvcs -p -s wuauserv`,
    `${SYS32}\\svchost.exe -k NetworkService -p -s Dnscache`,
    `${SYS32}\\svchost.exe -k LocalServiceNetworkRestricted -p -s EventLog`,
    `${SYS32}\\svchost.exe -k DcomLaunch -p`,
    `${SYS32}\\svchost.exe -k UnistackSvcGroup -s CDPUserSvc_{n}`,
    `${SYS32}\\svchost.exe -k netsvcs -p -s BITS`,
    `${SYS32}\\svchost.exe -k utcsvc -p`,
  ]),
  userinit: windows('userinit', `${SYS32}\\userinit.exe`, 'Userinit Logon Application', 36_864, [
    `${SYS32}\\userinit.exe`,
  ]),
  explorer: windows('explorer', 'C:\\Windows\\explorer.exe', 'Windows Explorer', 5_390_104, [
    'C:\\Windows\\Explorer.EXE',
  ]),
  sihost: windows('sihost', `${SYS32}\\sihost.exe`, 'Shell Infrastructure Host', 123_352, ['sihost.exe']),
  ctfmon: windows('ctfmon', `${SYS32}\\ctfmon.exe`, 'CTF Loader', 13_824, ['"ctfmon.exe"']),
  runtimeBroker: windows('runtimeBroker', `${SYS32}\\RuntimeBroker.exe`, 'Runtime Broker', 135_168, [
    `${SYS32}\\RuntimeBroker.exe -Embedding`,
  ]),
  taskhostw: windows('taskhostw', `${SYS32}\\taskhostw.exe`, 'Host Process for Windows Tasks', 101_888, [
    'taskhostw.exe',
    'taskhostw.exe Install $(Arg0)',
    'taskhostw.exe -RegisterDevice -ProtectionStateChanged -FreeNetworkOnly',
  ]),
  dllhost: windows('dllhost', `${SYS32}\\dllhost.exe`, 'COM Surrogate', 21_312, [
    `${SYS32}\\DllHost.exe /Processid:{AB8902B4-09CA-4BB6-B78D-A8F59079A8D5}`,
    `${SYS32}\\DllHost.exe /Processid:{3EB3C877-1F16-487C-9050-104DBCD66683}`,
  ]),
  conhost: windows('conhost', `${SYS32}\\conhost.exe`, 'Console Window Host', 1_038_336, [
    '\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1',
  ]),
  backgroundTaskHost: windows(
    'backgroundTaskHost',
    `${SYS32}\\backgroundTaskHost.exe`,
    'Background Task Host',
    19_968,
    [
      '"C:\\Windows\\system32\\backgroundTaskHost.exe" -ServerName:BackgroundTaskHost.WebAccountProvider',
      '"C:\\Windows\\system32\\backgroundTaskHost.exe" -ServerName:App.AppXmtcan0h2tfbfy7k9kn8hbxb6dmzz1zh0.mca',
    ],
  ),
  searchProtocolHost: windows(
    'searchProtocolHost',
    `${SYS32}\\SearchProtocolHost.exe`,
    'Microsoft Windows Search Protocol Host',
    432_128,
    [
      '"C:\\Windows\\system32\\SearchProtocolHost.exe" Global\\UsGthrFltPipeMssGthrPipe{n}_ Global\\UsGthrCtrlFltPipeMssGthrPipe{n} 1 -2147483646 "Software\\Microsoft\\Windows Search" "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT; MS Search 4.0 Robot)" "C:\\ProgramData\\Microsoft\\Search\\Data\\Temp\\usgthrsvc" "DownLevelDaemon"',
    ],
  ),
  wmiPrvSE: windows('wmiPrvSE', `${SYS32}\\wbem\\WmiPrvSE.exe`, 'WMI Provider Host', 495_616, [
    'C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding',
    'C:\\Windows\\system32\\wbem\\wmiprvse.exe -Embedding',
  ]),
  cmd: windows('cmd', `${SYS32}\\cmd.exe`, 'Windows Command Processor', 323_584, [
    'C:\\Windows\\system32\\cmd.exe /c ""C:\\Users\\{user}\\AppData\\Local\\Temp\\install-{n}.cmd""',
    '"C:\\Windows\\system32\\cmd.exe"',
    'C:\\Windows\\system32\\cmd.exe /d /c ipconfig /all',
  ]),
  powershell: windows(
    'powershell',
    `${SYS32}\\WindowsPowerShell\\v1.0\\powershell.exe`,
    'Windows PowerShell',
    450_560,
    [
      '"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"',
      "powershell.exe -ExecutionPolicy Restricted -Command Write-Host 'Final result: 1';",
      'powershell.exe -NoProfile -ExecutionPolicy Bypass -File "\\\\contoso.local\\NETLOGON\\Set-Printers.ps1"',
    ],
  ),
  ipconfig: windows('ipconfig', `${SYS32}\\ipconfig.exe`, 'IP Configuration Utility', 35_328, [
    'ipconfig  /all',
    'ipconfig /flushdns',
  ]),
  gpupdate: windows('gpupdate', `${SYS32}\\gpupdate.exe`, 'Microsoft® Group Policy Update Utility', 29_696, [
    'gpupdate.exe /target:computer',
    'gpupdate /force',
  ]),
  compatTelRunner: windows(
    'compatTelRunner',
    `${SYS32}\\CompatTelRunner.exe`,
    'Microsoft Compatibility Telemetry',
    233_472,
    [
      'C:\\Windows\\system32\\compattelrunner.exe -maintenance',
      'C:\\Windows\\system32\\compattelrunner.exe -m:appraiser.dll -f:DoScheduledTelemetryRun',
    ],
  ),
  mousoCoreWorker: windows(
    'mousoCoreWorker',
    `${SYS32}\\MoUsoCoreWorker.exe`,
    'MoUSO Core Worker Process',
    1_283_072,
    ['C:\\Windows\\System32\\mousocoreworker.exe -Embedding'],
  ),
  tiWorker: windows(
    'tiWorker',
    'C:\\Windows\\WinSxS\\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_10.0.22621.4455_none_1d4d8f4a1d7c0d57\\TiWorker.exe',
    'Windows Modules Installer Worker',
    239_616,
    [
      'C:\\Windows\\winsxs\\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_10.0.22621.4455_none_1d4d8f4a1d7c0d57\\TiWorker.exe -Embedding',
    ],
  ),
  trustedInstaller: windows(
    'trustedInstaller',
    'C:\\Windows\\servicing\\TrustedInstaller.exe',
    'Windows Modules Installer',
    159_744,
    ['C:\\Windows\\servicing\\TrustedInstaller.exe'],
  ),
  msiexec: windows('msiexec', `${SYS32}\\msiexec.exe`, 'Windows® installer', 69_632, [
    'C:\\Windows\\system32\\msiexec.exe /V',
    'C:\\Windows\\System32\\MsiExec.exe -Embedding {guid} E Global\\MSI0000',
  ]),
  rundll32: windows('rundll32', `${SYS32}\\rundll32.exe`, 'Windows host process (Rundll32)', 71_680, [
    'rundll32.exe C:\\Windows\\system32\\PcaSvc.dll,PcaPatchSdbTask',
    '"C:\\Windows\\system32\\rundll32.exe" C:\\Windows\\system32\\inetcpl.cpl,ClearMyTracksByProcess Flags:65800 WinX:0 WinY:0 IEFrame:0000000000000000',
  ]),
  mstsc: windows('mstsc', `${SYS32}\\mstsc.exe`, 'Remote Desktop Connection', 1_368_064, [
    '"C:\\Windows\\system32\\mstsc.exe" /v:srv-file-01.contoso.local',
    '"C:\\Windows\\system32\\mstsc.exe" /v:srv-sql-01.contoso.local',
  ]),
  rdpclip: windows('rdpclip', `${SYS32}\\rdpclip.exe`, 'RDP Clipboard Monitor', 424_448, ['rdpclip']),
  notepad: program('notepad', {
    path: 'C:\\Program Files\\WindowsApps\\Microsoft.WindowsNotepad_11.2409.9.0_x64__8wekyb3d8bbwe\\Notepad\\Notepad.exe',
    company: WIN,
    product: 'Microsoft Notepad',
    version: '11.2409.9.0',
    description: 'Notepad',
    signature: S.microsoftCorporation,
    fileSize: 1_129_472,
    commandLines: [
      '"C:\\Program Files\\WindowsApps\\Microsoft.WindowsNotepad_11.2409.9.0_x64__8wekyb3d8bbwe\\Notepad\\Notepad.exe" C:\\Users\\{user}\\Desktop\\notes.txt',
    ],
  }),

  // --- Security agents -----------------------------------------------------------------------
  msMpEng: program('msMpEng', {
    path: 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MsMpEng.exe',
    company: WIN,
    product: WIN_PRODUCT,
    version: '4.18.24090.11',
    description: 'Antimalware Service Executable',
    signature: S.microsoftWindowsPublisher,
    fileSize: 133_368,
    commandLines: ['"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MsMpEng.exe"'],
    destinations: [
      dest('wdcp.microsoft.com', 3),
      dest('definitionupdates.microsoft.com', 1),
      dest('wdcpalt.microsoft.com', 1),
    ],
  }),
  mpCmdRun: program('mpCmdRun', {
    path: 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MpCmdRun.exe',
    company: WIN,
    product: WIN_PRODUCT,
    version: '4.18.24090.11',
    description: 'Microsoft Malware Protection Command Line Utility',
    signature: S.microsoftWindowsPublisher,
    fileSize: 1_557_472,
    commandLines: [
      '"C:\\ProgramData\\Microsoft\\Windows Defender\\platform\\4.18.24090.11-0\\MpCmdRun.exe" -wdenable',
      '"C:\\ProgramData\\Microsoft\\Windows Defender\\platform\\4.18.24090.11-0\\MpCmdRun.exe" SignaturesUpdateService -ScheduleJob -UnmanagedUpdate',
      '"C:\\ProgramData\\Microsoft\\Windows Defender\\platform\\4.18.24090.11-0\\MpCmdRun.exe" -IdleTask -TaskName WdCacheMaintenance',
    ],
    destinations: [dest('definitionupdates.microsoft.com', 3), dest('go.microsoft.com', 1)],
  }),
  msSense: program('msSense', {
    path: 'C:\\Program Files\\Windows Defender Advanced Threat Protection\\MsSense.exe',
    company: WIN,
    product: WIN_PRODUCT,
    version: '10.8760.22621.1000',
    description: 'Windows Defender Advanced Threat Protection Service Executable',
    signature: S.microsoftWindowsPublisher,
    fileSize: 3_413_464,
    commandLines: ['"C:\\Program Files\\Windows Defender Advanced Threat Protection\\MsSense.exe"'],
    destinations: [
      dest('winatp-gw-weu.microsoft.com', 4),
      dest('winatp-gw-neu.microsoft.com', 2),
      dest('eu-v20.events.data.microsoft.com', 3),
    ],
  }),
  senseCncProxy: program('senseCncProxy', {
    path: 'C:\\Program Files\\Windows Defender Advanced Threat Protection\\SenseCncProxy.exe',
    company: WIN,
    product: WIN_PRODUCT,
    version: '10.8760.22621.1000',
    description: 'Windows Defender Advanced Threat Protection Communication Module',
    signature: S.microsoftWindowsPublisher,
    fileSize: 1_094_872,
    commandLines: ['"C:\\Program Files\\Windows Defender Advanced Threat Protection\\SenseCncProxy.exe"'],
    destinations: [dest('winatp-gw-weu.microsoft.com', 1)],
  }),
  csFalconService: program('csFalconService', {
    path: 'C:\\Program Files\\CrowdStrike\\CSFalconService.exe',
    company: 'CrowdStrike, Inc.',
    product: 'CrowdStrike Falcon Sensor',
    version: '7.18.18907.0',
    description: 'CrowdStrike Falcon Sensor Service',
    signature: S.crowdstrike,
    fileSize: 9_785_144,
    commandLines: ['"C:\\Program Files\\CrowdStrike\\CSFalconService.exe"'],
    destinations: [dest('ts01-b.cloudsink.net', 5), dest('lfodown01-b.cloudsink.net', 1)],
  }),

  // --- Microsoft 365 and Edge ------------------------------------------------------------
  outlook: program('outlook', {
    path: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE',
    company: WIN,
    product: 'Microsoft Outlook',
    version: '16.0.18129.20158',
    description: 'Microsoft Outlook',
    signature: S.microsoftCorporation,
    fileSize: 43_124_648,
    commandLines: [
      '"C:\\Program Files\\Microsoft Office\\Root\\Office16\\OUTLOOK.EXE"',
      '"C:\\Program Files\\Microsoft Office\\Root\\Office16\\OUTLOOK.EXE" /recycle',
    ],
    destinations: [
      dest('outlook.office365.com', 8),
      dest('outlook.office.com', 2),
      dest('autodiscover-s.outlook.com', 1),
      dest('substrate.office.com', 2),
      dest('nexus.officeapps.live.com', 1),
    ],
  }),
  word: program('word', {
    path: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE',
    company: WIN,
    product: 'Microsoft Office',
    version: '16.0.18129.20158',
    description: 'Microsoft Word',
    signature: S.microsoftCorporation,
    fileSize: 1_642_904,
    commandLines: [
      '"C:\\Program Files\\Microsoft Office\\Root\\Office16\\WINWORD.EXE" /n "{doc}.docx" /o ""',
      '"C:\\Program Files\\Microsoft Office\\Root\\Office16\\WINWORD.EXE"',
    ],
    destinations: [
      dest('contoso.sharepoint.com', 4),
      dest('officeclient.microsoft.com', 2),
      dest('nexus.officeapps.live.com', 1),
      dest('messaging.office.com', 1),
    ],
  }),
  excel: program('excel', {
    path: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE',
    company: WIN,
    product: 'Microsoft Office',
    version: '16.0.18129.20158',
    description: 'Microsoft Excel',
    signature: S.microsoftCorporation,
    fileSize: 68_893_584,
    commandLines: [
      '"C:\\Program Files\\Microsoft Office\\Root\\Office16\\EXCEL.EXE" "{doc}.xlsx"',
      '"C:\\Program Files\\Microsoft Office\\Root\\Office16\\EXCEL.EXE"',
    ],
    destinations: [
      dest('contoso.sharepoint.com', 4),
      dest('officeclient.microsoft.com', 2),
      dest('nexus.officeapps.live.com', 1),
    ],
  }),
  powerpnt: program('powerpnt', {
    path: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\POWERPNT.EXE',
    company: WIN,
    product: 'Microsoft Office',
    version: '16.0.18129.20158',
    description: 'Microsoft PowerPoint',
    signature: S.microsoftCorporation,
    fileSize: 1_859_456,
    commandLines: ['"C:\\Program Files\\Microsoft Office\\Root\\Office16\\POWERPNT.EXE" "{doc}.pptx"'],
    destinations: [dest('contoso.sharepoint.com', 3), dest('officeclient.microsoft.com', 1)],
  }),
  officeC2R: program('officeC2R', {
    path: 'C:\\Program Files\\Common Files\\microsoft shared\\ClickToRun\\OfficeClickToRun.exe',
    company: WIN,
    product: 'Microsoft Office',
    version: '16.0.18129.20158',
    description: 'Microsoft Office Click-to-Run (SxS)',
    signature: S.microsoftCorporation,
    fileSize: 12_383_608,
    commandLines: [
      '"C:\\Program Files\\Common Files\\Microsoft Shared\\ClickToRun\\OfficeClickToRun.exe" /service',
    ],
    destinations: [dest('officecdn.microsoft.com', 2), dest('mrodevicemgr.officeapps.live.com', 1)],
  }),
  oneDrive: program('oneDrive', {
    path: 'C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe',
    company: WIN,
    product: 'Microsoft OneDrive',
    version: '24.211.1020.0002',
    description: 'Microsoft OneDrive',
    signature: S.microsoftCorporation,
    fileSize: 3_787_200,
    commandLines: [
      '"C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe" /background',
      '"C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe" /updateInstalled /background',
    ],
    destinations: [dest('contoso-my.sharepoint.com', 6), dest('g.live.com', 1), dest('oneclient.sfx.ms', 1)],
  }),
  teams: program('teams', {
    path: 'C:\\Program Files\\WindowsApps\\MSTeams_24295.605.3225.8804_x64__8wekyb3d8bbwe\\ms-teams.exe',
    company: WIN,
    product: 'Microsoft Teams',
    version: '24295.605.3225.8804',
    description: 'Microsoft Teams',
    signature: S.microsoftCorporation,
    fileSize: 2_315_656,
    commandLines: [
      '"C:\\Program Files\\WindowsApps\\MSTeams_24295.605.3225.8804_x64__8wekyb3d8bbwe\\ms-teams.exe" msteams:system-initiated',
    ],
    destinations: [
      dest('teams.microsoft.com', 5),
      dest('api.spaces.skype.com', 2),
      dest('statics.teams.cdn.office.net', 2),
      dest('presence.teams.microsoft.com', 2),
    ],
  }),
  msedge: program('msedge', {
    path: 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
    company: WIN,
    product: 'Microsoft Edge',
    version: '131.0.2903.70',
    description: 'Microsoft Edge',
    signature: S.microsoftCorporation,
    fileSize: 4_156_448,
    commandLines: [
      '"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe" --single-argument https://contoso.sharepoint.com/sites/intranet',
      '"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe"',
      '"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe" --type=renderer --video-capture-use-gpu-memory-buffer --lang=en-US --device-scale-factor=1 --num-raster-threads=4 --renderer-client-id={n} --mojo-platform-channel-handle={port} /prefetch:1',
      '"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe" --type=utility --utility-sub-type=network.mojom.NetworkService --lang=en-US --service-sandbox-type=none --mojo-platform-channel-handle={port} /prefetch:3',
    ],
    destinations: BROWSING,
  }),
  msedgewebview2: program('msedgewebview2', {
    path: 'C:\\Program Files (x86)\\Microsoft\\EdgeWebView\\Application\\131.0.2903.70\\msedgewebview2.exe',
    company: WIN,
    product: 'Microsoft Edge WebView2',
    version: '131.0.2903.70',
    description: 'Microsoft Edge WebView2',
    signature: S.microsoftCorporation,
    fileSize: 3_517_984,
    commandLines: [
      '"C:\\Program Files (x86)\\Microsoft\\EdgeWebView\\Application\\131.0.2903.70\\msedgewebview2.exe" --embedded-browser-webview=1 --webview-exe-name=ms-teams.exe --mojo-named-platform-channel-pipe={n}:{n}',
    ],
    destinations: [dest('teams.microsoft.com', 3), dest('statics.teams.cdn.office.net', 2)],
  }),
  edgeUpdate: program('edgeUpdate', {
    path: 'C:\\Program Files (x86)\\Microsoft\\EdgeUpdate\\MicrosoftEdgeUpdate.exe',
    company: WIN,
    product: 'Microsoft Edge Update',
    version: '1.3.195.35',
    description: 'Microsoft Edge Update',
    signature: S.microsoftCorporation,
    fileSize: 224_608,
    commandLines: [
      '"C:\\Program Files (x86)\\Microsoft\\EdgeUpdate\\MicrosoftEdgeUpdate.exe" /ua /installsource scheduler',
      '"C:\\Program Files (x86)\\Microsoft\\EdgeUpdate\\MicrosoftEdgeUpdate.exe" /c',
    ],
    destinations: [
      dest('msedge.api.cdp.microsoft.com', 2),
      dest('msedge.b.tlu.dl.delivery.mp.microsoft.com', 1),
    ],
  }),
  vscode: program('vscode', {
    path: 'C:\\Users\\{user}\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe',
    company: WIN,
    product: 'Visual Studio Code',
    version: '1.95.3',
    description: 'Visual Studio Code',
    signature: S.microsoftCorporation,
    fileSize: 175_302_456,
    commandLines: [
      '"C:\\Users\\{user}\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe"',
      '"C:\\Users\\{user}\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe" C:\\Users\\{user}\\source\\repos\\billing-api',
    ],
    destinations: [
      dest('update.code.visualstudio.com', 1),
      dest('marketplace.visualstudio.com', 1),
      dest('github.com', 2),
      dest('api.github.com', 2),
    ],
  }),

  // --- Third-party applications ----------------------------------------------------------
  chrome: program('chrome', {
    path: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    company: 'Google LLC',
    product: 'Google Chrome',
    version: '131.0.6778.86',
    description: 'Google Chrome',
    signature: S.google,
    fileSize: 3_193_624,
    commandLines: [
      '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe"',
      '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" --type=renderer --lang=en-US --device-scale-factor=1 --num-raster-threads=4 --enable-main-frame-before-activation --renderer-client-id={n} --mojo-platform-channel-handle={port} /prefetch:1',
      '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" --type=gpu-process --gpu-preferences=WAAAAAAAAADgAAAMAAAAAAAAAAAAAAAAAABgAAEAAAA4AAAAAAAAAAAAAAAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= --mojo-platform-channel-handle={port} /prefetch:2',
      '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" --type=utility --utility-sub-type=network.mojom.NetworkService --lang=en-US --service-sandbox-type=none --mojo-platform-channel-handle={port} /prefetch:8',
    ],
    destinations: [
      ...BROWSING,
      dest('clients2.google.com', 3),
      dest('accounts.google.com', 2),
      dest('update.googleapis.com', 1),
    ],
  }),
  googleUpdate: program('googleUpdate', {
    path: 'C:\\Program Files (x86)\\Google\\Update\\GoogleUpdate.exe',
    company: 'Google LLC',
    product: 'Google Update',
    version: '1.3.36.452',
    description: 'Google Installer',
    signature: S.google,
    fileSize: 158_712,
    commandLines: [
      '"C:\\Program Files (x86)\\Google\\Update\\GoogleUpdate.exe" /ua /installsource scheduler',
      '"C:\\Program Files (x86)\\Google\\Update\\GoogleUpdate.exe" /c',
    ],
    destinations: [dest('update.googleapis.com', 3), dest('edgedl.me.gvt1.com', 1)],
  }),
  firefox: program('firefox', {
    path: 'C:\\Program Files\\Mozilla Firefox\\firefox.exe',
    company: 'Mozilla Corporation',
    product: 'Firefox',
    version: '133.0.0.8550',
    description: 'Firefox',
    signature: S.mozilla,
    fileSize: 677_784,
    commandLines: [
      '"C:\\Program Files\\Mozilla Firefox\\firefox.exe"',
      '"C:\\Program Files\\Mozilla Firefox\\firefox.exe" -contentproc --channel=1508 -childID {n} -isForBrowser -prefsHandle 3156 -prefMapHandle 3164 -prefsLen 31221 -prefMapSize 244583 -jsInitHandle 1300 -parentBuildID 20241121140525 -greomni "C:\\Program Files\\Mozilla Firefox\\omni.ja" -appomni "C:\\Program Files\\Mozilla Firefox\\browser\\omni.ja" -appDir "C:\\Program Files\\Mozilla Firefox\\browser" - {port} tab',
    ],
    destinations: [
      ...BROWSING,
      dest('firefox.settings.services.mozilla.com', 2),
      dest('push.services.mozilla.com', 1),
      dest('aus5.mozilla.org', 1),
    ],
  }),
  acrobat: program('acrobat', {
    path: 'C:\\Program Files\\Adobe\\Acrobat DC\\Acrobat\\Acrobat.exe',
    company: 'Adobe Inc.',
    product: 'Adobe Acrobat',
    version: '24.5.20320.0',
    description: 'Adobe Acrobat',
    signature: S.adobe,
    fileSize: 6_739_480,
    commandLines: [
      '"C:\\Program Files\\Adobe\\Acrobat DC\\Acrobat\\Acrobat.exe" "{doc}.pdf"',
      '"C:\\Program Files\\Adobe\\Acrobat DC\\Acrobat\\Acrobat.exe"',
    ],
    destinations: [
      dest('acroipm2.adobe.com', 2),
      dest('cc-api-data.adobe.io', 2),
      dest('ims-na1.adobelogin.com', 1),
    ],
  }),
  adobeArm: program('adobeArm', {
    path: 'C:\\Program Files (x86)\\Common Files\\Adobe\\ARM\\1.0\\AdobeARM.exe',
    company: 'Adobe Inc.',
    product: 'Adobe Reader and Acrobat Manager',
    version: '1.825.39.0',
    description: 'Adobe Reader and Acrobat Manager',
    signature: S.adobe,
    fileSize: 1_394_824,
    commandLines: ['"C:\\Program Files (x86)\\Common Files\\Adobe\\ARM\\1.0\\AdobeARM.exe"'],
    destinations: [dest('armmf.adobe.com', 1)],
  }),
  zoom: program('zoom', {
    path: 'C:\\Users\\{user}\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe',
    company: 'Zoom Video Communications, Inc.',
    product: 'Zoom',
    version: '6.2.11.52588',
    description: 'Zoom Workplace',
    signature: S.zoom,
    fileSize: 432_840,
    commandLines: [
      '"C:\\Users\\{user}\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe" "--url=zoommtg://zoom.us/join?action=join&confno=8{n}{n}"',
      '"C:\\Users\\{user}\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe"',
    ],
    destinations: [
      dest('zoom.us', 3),
      dest('us05web.zoom.us', 2),
      dest('contoso.zoom.us', 2),
      dest('zoomfrn99mmr.zoom.us', 1),
    ],
  }),
  slack: program('slack', {
    path: 'C:\\Users\\{user}\\AppData\\Local\\slack\\app-4.41.105\\slack.exe',
    company: 'Slack Technologies Inc.',
    product: 'Slack',
    version: '4.41.105',
    description: 'Slack',
    signature: S.slack,
    fileSize: 172_466_448,
    commandLines: [
      '"C:\\Users\\{user}\\AppData\\Local\\slack\\app-4.41.105\\slack.exe" --process-start-args --startup',
      '"C:\\Users\\{user}\\AppData\\Local\\slack\\app-4.41.105\\slack.exe"',
    ],
    destinations: [
      dest('contoso.slack.com', 4),
      dest('wss-primary.slack.com', 3),
      dest('edgeapi.slack.com', 2),
      dest('slack.com', 1),
    ],
  }),
  sevenZip: program('sevenZip', {
    path: 'C:\\Program Files\\7-Zip\\7zFM.exe',
    company: 'Igor Pavlov',
    product: '7-Zip',
    version: '24.08',
    description: '7-Zip File Manager',
    signature: null, // 7-Zip releases are not code-signed
    fileSize: 1_007_104,
    commandLines: ['"C:\\Program Files\\7-Zip\\7zFM.exe" "C:\\Users\\{user}\\Downloads\\export-{n}.zip"'],
  }),
  sevenZipG: program('sevenZipG', {
    path: 'C:\\Program Files\\7-Zip\\7zG.exe',
    company: 'Igor Pavlov',
    product: '7-Zip',
    version: '24.08',
    description: '7-Zip GUI',
    signature: null,
    fileSize: 711_680,
    commandLines: [
      '"C:\\Program Files\\7-Zip\\7zG.exe" x -o"C:\\Users\\{user}\\Downloads\\export-{n}\\" -an -ai#7zMap{n}:40:7zEvent{n}',
    ],
  }),
  notepadPlusPlus: program('notepadPlusPlus', {
    path: 'C:\\Program Files\\Notepad++\\notepad++.exe',
    company: 'Don HO don.h@free.fr',
    product: 'Notepad++',
    version: '8.7.1',
    description: 'Notepad++',
    signature: S.notepadPlusPlus,
    fileSize: 8_194_480,
    commandLines: [
      '"C:\\Program Files\\Notepad++\\notepad++.exe" "C:\\Users\\{user}\\Desktop\\todo.txt"',
      '"C:\\Program Files\\Notepad++\\notepad++.exe"',
    ],
    destinations: [dest('notepad-plus-plus.org', 1)],
  }),
  vlc: program('vlc', {
    path: 'C:\\Program Files\\VideoLAN\\VLC\\vlc.exe',
    company: 'VideoLAN',
    product: 'VLC media player',
    version: '3.0.21',
    description: 'VLC media player',
    signature: S.videolan,
    fileSize: 985_616,
    commandLines: [
      '"C:\\Program Files\\VideoLAN\\VLC\\vlc.exe" --started-from-file "C:\\Users\\{user}\\Videos\\town-hall-recording.mp4"',
    ],
    destinations: [dest('update.videolan.org', 1)],
  }),
  vpnAgent: program('vpnAgent', {
    path: 'C:\\Program Files (x86)\\Cisco\\Cisco Secure Client\\vpnagent.exe',
    company: 'Cisco Systems, Inc.',
    product: 'Cisco Secure Client',
    version: '5.1.5.65',
    description: 'Cisco Secure Client - AnyConnect VPN Agent',
    signature: S.cisco,
    fileSize: 1_219_544,
    commandLines: ['"C:\\Program Files (x86)\\Cisco\\Cisco Secure Client\\vpnagent.exe"'],
    destinations: [dest('vpn.contoso.com', 1)],
  }),
  vpnUi: program('vpnUi', {
    path: 'C:\\Program Files (x86)\\Cisco\\Cisco Secure Client\\UI\\csc_ui.exe',
    company: 'Cisco Systems, Inc.',
    product: 'Cisco Secure Client',
    version: '5.1.5.65',
    description: 'Cisco Secure Client User Interface',
    signature: S.cisco,
    fileSize: 3_470_808,
    commandLines: ['"C:\\Program Files (x86)\\Cisco\\Cisco Secure Client\\UI\\csc_ui.exe" -minimized'],
  }),
  git: program('git', {
    path: 'C:\\Program Files\\Git\\cmd\\git.exe',
    company: 'The Git Development Community',
    product: 'Git',
    version: '2.47.1.1',
    description: 'Git for Windows',
    signature: S.git,
    fileSize: 46_408,
    commandLines: ['git fetch --prune origin', 'git pull', 'git status -z -uall'],
    destinations: [dest('github.com', 3), dest('dev.azure.com', 1)],
  }),

  // --- Server roles -----------------------------------------------------------------------
  sqlservr: program('sqlservr', {
    path: 'C:\\Program Files\\Microsoft SQL Server\\MSSQL16.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe',
    company: WIN,
    product: 'Microsoft SQL Server',
    version: '2022.160.4155.4',
    description: 'SQL Server Windows NT - 64 Bit',
    signature: S.microsoftCorporation,
    fileSize: 616_504,
    commandLines: [
      '"C:\\Program Files\\Microsoft SQL Server\\MSSQL16.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe" -sMSSQLSERVER',
    ],
  }),
  sqlAgent: program('sqlAgent', {
    path: 'C:\\Program Files\\Microsoft SQL Server\\MSSQL16.MSSQLSERVER\\MSSQL\\Binn\\SQLAGENT.EXE',
    company: WIN,
    product: 'Microsoft SQL Server',
    version: '2022.160.4155.4',
    description: 'SQLAGENT - SQL Server Agent',
    signature: S.microsoftCorporation,
    fileSize: 690_232,
    commandLines: [
      '"C:\\Program Files\\Microsoft SQL Server\\MSSQL16.MSSQLSERVER\\MSSQL\\Binn\\SQLAGENT.EXE" -i MSSQLSERVER',
    ],
  }),
  dfsrs: windows('dfsrs', `${SYS32}\\dfsrs.exe`, 'Distributed File System Replication', 3_260_416, [
    'C:\\Windows\\system32\\DFSRs.exe',
  ]),
  w3wp: windows('w3wp', `${SYS32}\\inetsrv\\w3wp.exe`, 'IIS Worker Process', 28_160, [
    'c:\\windows\\system32\\inetsrv\\w3wp.exe -ap "intranet" -v "v4.0" -l "webengine4.dll" -a \\\\.\\pipe\\iisipm{guid} -h "C:\\inetpub\\temp\\apppools\\intranet\\intranet.config" -w "" -m 0 -t 20 -ta 0',
  ]),
} satisfies Record<string, Program>;

export type SoftwareKey = keyof typeof SOFTWARE;
